import { ref, type Ref } from 'vue';

/** A cursor-paged list (any of the gateway's `{ items, nextCursor }` pages) read page by page with a "more" button. */
export function usePaged<T>(load: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items = ref([]) as Ref<T[]>;
  const error = ref<unknown>(null);
  const loading = ref(false);
  const cursor = ref<string | null>(null);
  const started = ref(false);

  async function more(): Promise<void> {
    loading.value = true;
    try {
      const page = await load(started.value ? cursor.value : null);
      items.value = [...items.value, ...page.items];
      cursor.value = page.nextCursor;
      started.value = true;
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  async function reload(): Promise<void> {
    items.value = [];
    started.value = false;
    cursor.value = null;
    await more();
  }
  return { items, error, loading, more, reload, hasMore: () => started.value && cursor.value !== null };
}
