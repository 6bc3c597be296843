import { IntColumn } from '../core/columns';
import type { WxApp } from './apps';

/** Persons holding an openid of one Mini Program (the openid encodes the slot), plus their current session_key. */
export class MpAudience {
  readonly slotPerson: IntColumn;
  readonly personSlot: IntColumn;
  readonly sessionKeys = new Map<number, string>();

  constructor(
    readonly app: WxApp,
    slotCapacity: number,
    personCapacity: number,
  ) {
    this.slotPerson = new IntColumn(Int32Array, slotCapacity);
    this.personSlot = new IntColumn(Int32Array, personCapacity, -1);
  }

  get size(): number {
    return this.slotPerson.length;
  }

  addSlot(person: number): number {
    const slot = this.slotPerson.push(person);
    this.personSlot.set(person, slot);
    return slot;
  }

  /** The person's slot, created on first use (a person opening the Mini Program gets an openid). */
  ensureSlot(person: number): number {
    const s = this.personSlot.get(person);
    return s >= 0 ? s : this.addSlot(person);
  }

  openid(slot: number): string {
    return this.app.codec.encode(slot);
  }

  slotOf(openid: unknown): number {
    if (typeof openid !== 'string') return -1;
    const slot = this.app.codec.decode(openid);
    return slot >= 0 && slot < this.size ? slot : -1;
  }
}
