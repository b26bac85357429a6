/**
 * The first `count` of the items in the order `compare` gives, in that order: a page needs only them,
 * and keeping them in a bounded heap costs a fraction of sorting every match. Hand-written: heap-js
 * heapifies every match first, several times slower for a page of a large result.
 */
export function topInOrder(items: Iterable<number>, count: number, compare: (a: number, b: number) => number): number[] {
  if (count <= 0) return []
  // A heap whose root is the last in order of those kept, so a newcomer only has to beat the root.
  const heap: number[] = []
  const later = (a: number, b: number) => compare(heap[a] as number, heap[b] as number) > 0
  const swap = (a: number, b: number) => {
    const held = heap[a] as number
    heap[a] = heap[b] as number
    heap[b] = held
  }
  const siftDown = (from: number) => {
    let at = from
    for (;;) {
      const left = 2 * at + 1
      const right = left + 1
      let latest = at
      if (left < heap.length && later(left, latest)) latest = left
      if (right < heap.length && later(right, latest)) latest = right
      if (latest === at) return
      swap(at, latest)
      at = latest
    }
  }
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item)
      for (let at = heap.length - 1; at > 0 && later(at, (at - 1) >> 1); at = (at - 1) >> 1) swap(at, (at - 1) >> 1)
    } else if (compare(item, heap[0] as number) < 0) {
      heap[0] = item
      siftDown(0)
    }
  }
  return heap.sort(compare)
}
