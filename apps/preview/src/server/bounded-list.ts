/** A newest-first list that forgets its oldest entries beyond `max`, so memory stays flat. */
export interface BoundedList<T> {
  add(item: T): void;
  list(): T[];
  /** Replaces the first item `match` accepts with what `next` makes of it; returns the new item. */
  replace(match: (item: T) => boolean, next: (item: T) => T): T | undefined;
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
    replace(match, next) {
      const index = items.findIndex(match);
      if (index === -1) return undefined;
      items[index] = next(items[index]!);
      return items[index];
    },
    clear() {
      items = [];
    },
  };
}
