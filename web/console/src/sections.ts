import type { Component } from 'vue';
import type { Role } from './api/types';
import type { MessageKey } from './i18n';
import OverviewView from './views/OverviewView.vue';
import CustomersView from './views/CustomersView.vue';
import CustomerView from './views/CustomerView.vue';
import TagsView from './views/TagsView.vue';
import TagView from './views/TagView.vue';
import SegmentsView from './views/SegmentsView.vue';
import SegmentView from './views/SegmentView.vue';
import SyncsView from './views/SyncsView.vue';
import InboxView from './views/InboxView.vue';
import OutboxView from './views/OutboxView.vue';
import MergesView from './views/MergesView.vue';
import AuditView from './views/AuditView.vue';

/**
 * The console's sections; `role` is the least role the API lets read the section (README "Admin API"), so the
 * menu never offers a dead end.
 */
export interface Section {
  path: string;
  label: MessageKey;
  role: Role;
  list: Component;
  item?: Component;
}

export const SECTIONS: Section[] = [
  { path: 'overview', label: 'nav.overview', role: 'viewer', list: OverviewView },
  { path: 'customers', label: 'nav.customers', role: 'viewer', list: CustomersView, item: CustomerView },
  { path: 'tags', label: 'nav.tags', role: 'viewer', list: TagsView, item: TagView },
  { path: 'segments', label: 'nav.segments', role: 'viewer', list: SegmentsView, item: SegmentView },
  { path: 'syncs', label: 'nav.syncs', role: 'viewer', list: SyncsView },
  { path: 'inbox', label: 'nav.inbox', role: 'operator', list: InboxView },
  { path: 'outbox', label: 'nav.outbox', role: 'viewer', list: OutboxView },
  { path: 'identity', label: 'nav.identity', role: 'viewer', list: MergesView },
  { path: 'audit', label: 'nav.audit', role: 'admin', list: AuditView },
];
