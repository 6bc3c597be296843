import { ref } from 'vue';
import { api } from '../api/http';
import type { Channel, ChannelList } from '../api/types';

const channels = ref<Channel[]>([]);
let loading: Promise<void> | null = null;

/** The channel codes for the builder's `source` picker, read once per page (the newest 500). */
export function channelChoices() {
  loading ??= api<ChannelList>('/channels?limit=500')
    .then((r) => {
      channels.value = r.items;
    })
    .catch(() => {
      channels.value = [];
    });
  return channels;
}
