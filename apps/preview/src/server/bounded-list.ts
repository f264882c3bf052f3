/** A newest-first list that forgets its oldest entries beyond `max`, so memory stays flat. */
export interface BoundedList<T> {
  add(item: T): void;
  list(): T[];
  clear(): void;
}

export function createBoundedList<T>(max: number): BoundedList<T> {
  let items: T[] = [];
  return {
    add(item) {
      items.unshift(item);
      if (items.length > max) items.length = max;
    },
    list: () => [...items],
    clear() {
      items = [];
    },
  };
}
