import type { EntityManager } from '../../storage';
import type { FollowUserWire } from '../../../connectors/wecom/client-types';
import { tagsRelationReadHook } from '../../tags/reconcile/relation-read.hook';

/** One customer's follow relations as externalcontact/get just returned them (the actual state in WeCom). */
export interface RelationsRead {
  corpId: string;
  externalUserid: string;
  /** null when the customer could not be resolved (erased person) or no longer exists in WeCom. */
  customerId: string | null;
  /** Every current relation with its corp tags (`tags[].tag_id`); empty when WeCom has none (84061). */
  follows: FollowUserWire[];
  readAt: Date;
}

/**
 * Work other modules attach to relation re-reads (e.g. the tags module recording actual relation tags and
 * turning a staff-added tag into a `wechat` assignment), run inside the transaction that stores them, once for
 * all the contacts of one corp stored together. Listed explicitly.
 */
export interface RelationReadHook {
  name: string;
  apply(em: EntityManager, reads: readonly RelationsRead[]): Promise<void>;
}

export const relationReadHooks: RelationReadHook[] = [tagsRelationReadHook];
