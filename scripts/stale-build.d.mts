/** Why the project at `root` must be compiled before dist/server.js runs, or undefined if it need not be. */
export function staleBuild(root: string): string | undefined
