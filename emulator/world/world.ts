import type { WorldOptions } from '../options';
import { buildRegistry, type AppRegistry, type Corp, type WxApp } from './apps';
import { MpAudience } from './mp-audience';
import { OaAudience } from './oa-audience';
import { PersonStore } from './person-store';
import { seedWorld } from './world-seed';
import { WecomCorp } from './wecom-corp';

/** The simulated WeChat population: apps, persons and every app's view of them. */
export class World {
  readonly registry: AppRegistry;
  readonly persons: PersonStore;
  readonly oa: OaAudience[];
  readonly mp: MpAudience[];
  readonly wecom: WecomCorp[];
  private readonly oaById: Map<string, OaAudience>;
  private readonly mpById: Map<string, MpAudience>;
  private readonly corpById: Map<string, WecomCorp>;

  constructor(readonly options: WorldOptions) {
    this.registry = buildRegistry(options);
    const o = options;
    const base = o.followers + Math.round(o.followers * o.overlap.unsubscribed);
    const fromOa = Math.min(base, Math.round(o.wecomContacts * o.overlap.wecomFromOa));
    const personCount = base + this.registry.corps.length * (o.wecomContacts - fromOa);
    this.persons = new PersonStore(o.seed, personCount, o.overlap.phone);
    this.oa = this.registry.officialAccounts.map(
      (app, i) =>
        new OaAudience(
          app,
          o.seed + i,
          i === 0 ? base + 16 : Math.ceil(personCount * o.overlap.secondaryOa * 1.05) + 16,
          personCount,
          o.oaNameUnit,
          o.oaPermanentQrLimit,
        ),
    );
    this.mp = this.registry.miniPrograms.map(
      (app) => new MpAudience(app, Math.ceil(personCount * o.overlap.miniProgram * 1.05) + 16, personCount),
    );
    this.wecom = this.registry.corps.map(
      (corp) => new WecomCorp(corp, o.seed, this.persons, o.wecomContacts + 16, o.corpTagLimit),
    );
    this.oaById = new Map(this.oa.map((a) => [a.app.appId, a]));
    this.mpById = new Map(this.mp.map((a) => [a.app.appId, a]));
    this.corpById = new Map(this.wecom.map((c) => [c.corp.corpId, c]));
    seedWorld(this, { base, fromOa });
  }

  oaApp(appId: string | undefined): OaAudience | undefined {
    return appId === undefined ? undefined : this.oaById.get(appId);
  }

  mpApp(appId: string | undefined): MpAudience | undefined {
    return appId === undefined ? undefined : this.mpById.get(appId);
  }

  corp(corpId: string | undefined): WecomCorp | undefined {
    return corpId === undefined ? undefined : this.corpById.get(corpId);
  }

  wxApp(appId: string | undefined): WxApp | undefined {
    return this.oaApp(appId)?.app ?? this.mpApp(appId)?.app;
  }

  corpConfig(corpId: string): Corp | undefined {
    return this.corpById.get(corpId)?.corp;
  }

  /** The OA or MP whose openid this is (for telling a foreign openid, 49003, from garbage, 40003). */
  appOfOpenid(openid: string): WxApp | undefined {
    for (const a of this.oa) if (a.slotOf(openid) >= 0) return a.app;
    for (const a of this.mp) if (a.slotOf(openid) >= 0) return a.app;
    return undefined;
  }

  /** A new person, known to no app yet. */
  addPerson(): number {
    return this.persons.add();
  }
}
