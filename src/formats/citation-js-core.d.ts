// citation-js 0.8 ships no type declarations; this declares the part of its plugin API citeserve calls.
declare module '@citation-js/core' {
  export const plugins: {
    output: {
      format(name: string, data: readonly object[], options?: Record<string, unknown>): unknown
    }
    input: {
      chainLink(data: unknown, options: { forceType: string }): unknown
    }
    config: {
      get(plugin: string): unknown
    }
  }
}
