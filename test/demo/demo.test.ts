import { mkdir, mkdtemp, rm, stat, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import path from 'path';
import { loadConfig } from '../../config';
import { parseArgs } from '../../src/cli/args';
import { importCommand } from '../../src/cli/commands/import.command';
import { main } from '../../src/cli/main';
import { DemoError } from '../../demo/demo-errors';
import { JsonClient } from '../../demo/demo-http';
import { runDemo, type DemoRun } from '../../demo/demo.runner';
import { formatSummary } from '../../demo/summary-printer';
import { silentLogger } from '../../src/logger';
import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { testDialect } from '../helpers/describe-db';

/**
 * `siyu demo` (DESIGN §8.4–8.5): the emulator and the gateway in process, the story through the public surfaces,
 * and the numbers it reports — checked here against the emulator's own state, not the gateway's word.
 */
describe('siyu demo', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'siyu-demo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['demo', ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('rejects a bad flag with the usage and starts nothing', async () => {
    const r = await cli(['--port', 'http', '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^usage: siyu demo \[--exit\]/);
    await expect(stat(path.join(dir, 'demo.db'))).rejects.toThrow(/ENOENT/);
  });

  describe('the story, in process', () => {
    let db: TestDatabase | undefined;
    let run: DemoRun;
    beforeAll(async () => {
      // The demo's own SQLite file in a temp dir; on the MySQL pass, a fresh MySQL database instead.
      if (testDialect === 'mysql') db = await createTestDatabase({ migrate: false });
      run = await runDemo(
        {
          dataDir: dir,
          port: 0,
          emulatorPort: 0,
          seed: 11,
          logger: silentLogger(),
          jobs: false,
          ...(db ? { databaseUrl: db.url } : {}),
        },
        () => undefined,
      );
    }, 180_000);
    afterAll(async () => {
      await run?.world.close();
      await db?.drop();
    });

    it('reports a refused call with its method, URL, status and answer', async () => {
      const anonymous = new JsonClient(`${run.world.gateway.url}/api/v1`, 'sy_not_a_key');
      const err = await anonymous.get('/customers').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DemoError);
      expect(err).toMatchObject({ code: 'HTTP_STATUS' });
      expect((err as Error).message).toMatch(
        new RegExp(`^GET ${run.world.gateway.url}/api/v1/customers answered 401: \\{"error":`),
      );
    });

    it('gets every callback accepted and every full sync done', () => {
      const s = run.summary;
      expect(s.callbacks).toHaveLength(8);
      expect(s.callbacks.filter((c) => !c.accepted)).toEqual([]);
      expect(s.callbacks.map((c) => c.detail.split(':')[0])).toEqual(
        expect.arrayContaining(['safe', 'compatible', 'plaintext']),
      );
      expect(s.inboxFailed).toBe(0);
      expect(s.syncs.map((x) => `${x.resource}:${x.status}`).sort()).toEqual([
        'contacts:done',
        'corp-tags:done',
        'followers:done',
        'followers:done',
        'groups:done',
        'staff:done',
      ]);
      // The demo names its accounts as the emulator does.
      expect(
        s.syncs
          .filter((x) => x.resource === 'followers')
          .map((x) => x.accountName)
          .sort(),
      ).toEqual(['会员俱乐部', '品牌服务号'].sort());
    });

    it('unifies: no more customers than persons, none mixing two persons, the story person as one customer', () => {
      const s = run.summary;
      expect(s.customers).toBeGreaterThan(200);
      expect(s.customers).toBeLessThanOrEqual(s.persons);
      expect(s.customers).toBe(s.personsSeen);
      expect(s.customersMixingPersons).toBe(0);
      expect(s.personsSplit).toBe(0);
      expect(s.merges).toBeGreaterThan(0);
      expect(s.person.identityTypes).toEqual(['mp_openid', 'oa_openid', 'phone', 'unionid', 'wecom_external_userid']);
      expect(s.person).toMatchObject({
        orders: 1,
        totalSpent: 12800,
        tags: [{ name: '活跃客户（演示）', source: 'rule' }],
      });
    });

    it("puts the story person in the story's customer group: synced, on the profile by name, in the summary", async () => {
      const s = run.summary;
      expect(s.group).toMatchObject({ name: '老客户福利群', members: 4 });
      const profile = await run.world.api.get<{ groups: { chatId: string; corpId: string; name: string | null }[] }>(
        `/customers/${s.person.customerId}`,
      );
      expect(profile.groups).toEqual([
        expect.objectContaining({ chatId: s.group.chatId, corpId: s.group.corpId, name: '老客户福利群' }),
      ]);
      expect(s.person.groups).toEqual(['老客户福利群']);
      expect(formatSummary(s)).toContain('customer group  老客户福利群');
    });

    it('pushes the rule tag to both OA and WeCom: the emulator holds it where Siyu says, nothing dead', async () => {
      const t = run.summary.tag;
      expect(t.members).toBeGreaterThan(0);
      expect(t.oa.emulatorMembers).toBeGreaterThan(0);
      expect(t.oa.emulatorMembers).toBe(t.oa.desired);
      expect(t.oa.pushed).toBe(t.oa.desired);
      expect(t.wecom.emulatorRelations).toBeGreaterThan(0);
      expect(t.wecom.emulatorRelations).toBe(t.wecom.desired);
      expect(t.outbox).toMatchObject({ dead: 0, pending: 0 });
      expect(t.outbox.done).toBeGreaterThan(0);
      // Read once more straight from the emulator: the story person's relation carries the corp tag.
      const rel = await run.world.control.get<{ relations: { tags: { id: string }[] }[] }>(
        `/state/wecom/${t.wecom.corpId}/relations?userid=${run.summary.person.staffUserid}&external_userid=${run.summary.person.externalUserId}`,
      );
      expect(rel.relations[0]!.tags.map((x) => x.id)).toContain(t.wecom.remoteTagId);
      const oa = await run.world.control.get<{ tags: { openids: string[] }[] }>(
        `/state/oa/${t.oa.appId}/tags?tagId=${t.oa.remoteTagId}`,
      );
      expect(oa.tags[0]!.openids).toContain(run.summary.person.oaOpenid);
    });

    it('puts the corp tag library in the catalog and a customer’s WeCom relation tags on their profile as wechat tags', async () => {
      const api = new JsonClient(`${run.world.gateway.url}/api/v1`, run.summary.adminKey);
      const groups = (await api.get<{ items: { name: string }[] }>('/tag-groups')).items.map((g) => g.name);
      expect(groups).toEqual(expect.arrayContaining(['客户等级', '购买意向']));
      const corpId = run.summary.tag.wecom.corpId;
      type Rel = { externalUserId: string; tags: { name: string; groupName: string }[] };
      const { relations } = await run.world.control.get<{ relations: Rel[] }>(
        `/state/wecom/${corpId}/relations?limit=100000`,
      );
      const tagged = relations.find((r) => r.tags.some((t) => t.groupName === '购买意向' && t.name === '低'))!;
      expect(tagged).toBeDefined();
      const profile = await api.get<{ displayName: string; tags: { id: string; name: string; source: string }[] }>(
        `/customers/lookup?type=wecom_external_userid&scope=${corpId}&value=${tagged.externalUserId}`,
      );
      const low = profile.tags.find((t) => t.name === '低' && t.source === 'wechat')!;
      expect(low).toBeDefined();
      expect(await api.get<{ groupName: string }>(`/tags/${low.id}`)).toMatchObject({ groupName: '购买意向' });
    });

    it('prints a summary with the key, the URLs and working curl examples', async () => {
      const text = formatSummary(run.summary);
      expect(text).toContain(`admin API key   ${run.summary.adminKey}`);
      // The story person by name, as an operator searches for them in the console.
      expect(run.summary.person.name).not.toContain(run.summary.person.customerId);
      expect(text).toContain(`story person    ${run.summary.person.name} (${run.summary.person.customerId})`);
      expect(text).toContain(
        `the story person is ${run.summary.person.name} under 客户, their group 老客户福利群 under 客户群`,
      );
      expect(text).toContain(`${run.summary.tag.outbox.done} done · 0 dead · 0 pending`);
      const curl = text.split('\n').find((l) => l.includes('/customers/lookup'))!;
      const url = /'(http[^']+)'$/.exec(curl)![1]!;
      const res = await fetch(url, { headers: { authorization: `Bearer ${run.summary.adminKey}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: string }).id).toBe(run.summary.person.customerId);
    });

    it('prints a CLI config with a CRM source: siyu import reads CRM customers and orders into the demo', async () => {
      const text = formatSummary(run.summary);
      const line = text.split('\n').find((l) => l.includes('npx siyu import'))!;
      const configFile = /SIYU_CONFIG=(\S+) /.exec(line)![1]!;
      const source = /--source (\S+)$/.exec(line)![1]!;
      expect(path.resolve(configFile)).toBe(run.world.configFile);
      expect((await stat(run.world.configFile)).mode & 0o777).toBe(0o600);
      const config = loadConfig({ env: { SIYU_CONFIG: run.world.configFile } });
      const p = run.summary.person;
      const files = await mkdtemp(path.join(tmpdir(), 'siyu-demo-crm-'));
      const imported = async (name: string, csv: string, kind: string, map: string) => {
        const file = path.join(files, name);
        await writeFile(file, csv);
        const out: string[] = [];
        const io = { out: (t: string) => out.push(t), err: () => undefined };
        const argv = [file, '--kind', kind, '--source', source, '--map', map];
        expect(await importCommand(parseArgs(argv), io, () => config)).toBe(0);
        return JSON.parse(out.join('')) as { written: number; failed: number };
      };
      try {
        const customers = await imported(
          'customers.csv',
          `会员号,姓名,小程序openid\nC1,${p.name},${p.mpOpenid}\n`,
          'customers',
          `会员号=identity.external_id,姓名=displayName,小程序openid=identity.mp_openid:${p.mpAppId}`,
        );
        expect(customers).toMatchObject({ written: 1, failed: 0 });
        const orders = await imported(
          'orders.csv',
          '会员号,单号,金额,时间\nC1,SO-1,5000,2026-01-02 10:00\n',
          'orders',
          '会员号=identity.external_id,单号=orderNo,金额=amountFen,时间=paidAt',
        );
        expect(orders).toMatchObject({ written: 1, failed: 0 });
      } finally {
        await rm(files, { recursive: true, force: true });
      }
      const profile = await run.world.api.get<{ rfm: { orders: number; totalSpent: number } }>(
        `/customers/${p.customerId}`,
      );
      expect(profile.rfm).toMatchObject({ orders: p.orders + 1, totalSpent: p.totalSpent + 5000 });
    });

    it("lets an H5 login redirect back to a page on the demo's gateway", async () => {
      const appId = run.world.apps.officialAccounts[0]!.appId;
      const redirect = encodeURIComponent(`${run.world.gateway.url}/h5-page`);
      const res = await fetch(`${run.world.gateway.url}/h5/${appId}/login?redirect=${redirect}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/\/open\.weixin\.qq\.com\/connect\/oauth2\/authorize\?/);
    });

    it('prints a sidebar URL that signs in as the rep and shows the story person of the open chat', async () => {
      const line = formatSummary(run.summary)
        .split('\n')
        .find((l) => l.trimStart().startsWith('sidebar'))!;
      let url = /(http\S+)/.exec(line)![1]!;
      // A browser's walk: /sidebar → /sidebar/login → the emulator's authorize page → the OAuth callback → /sidebar.
      const cookies = new Map<string, string>();
      for (let hop = 0; hop < 6; hop++) {
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        const next = res.headers.get('location');
        if (!next) {
          expect(res.status).toBe(200);
          break;
        }
        url = new URL(next, url).toString();
      }
      expect(new URL(url).pathname).toBe('/sidebar');
      const chat = await run.world.control.get<{ externalUserId: string }>(
        `/wecom/${run.summary.tag.wecom.corpId}/current-chat`,
      );
      expect(chat.externalUserId).toBe(run.summary.person.externalUserId);
      const profile = await fetch(`${run.summary.gatewayUrl}/sidebar/api/customers/${chat.externalUserId}`, {
        headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(profile.status).toBe(200);
      expect(((await profile.json()) as { id: string }).id).toBe(run.summary.person.customerId);
    });
    it('prints a console sign-in URL whose WeCom button signs the story rep in as admin in one click', async () => {
      const line = formatSummary(run.summary)
        .split('\n')
        .find((l) => l.trimStart().startsWith('console'))!;
      const url = /(http\S+)/.exec(line)![1]!;
      expect(new URL(url).pathname).toBe('/console/login');
      const choices = (await (await fetch(url, { headers: { accept: 'application/json' } })).json()) as {
        wecom: { corpId: string }[];
      };
      // The page's button: /auth/wecom/login → the emulator's WeCom Web login → the callback → /console.
      let next = `${run.summary.gatewayUrl}/auth/wecom/login?corpId=${choices.wecom[0]!.corpId}&next=/console`;
      const cookies = new Map<string, string>();
      for (let hop = 0; hop < 4 && new URL(next).pathname !== '/console'; hop++) {
        const res = await fetch(next, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        next = new URL(res.headers.get('location')!, next).toString();
      }
      expect(new URL(next).pathname).toBe('/console');
      const me = await fetch(`${run.summary.gatewayUrl}/api/v1/whoami`, {
        headers: { cookie: `siyu_console=${cookies.get('siyu_console')}` },
      });
      expect(await me.json()).toMatchObject({
        kind: 'operator',
        role: 'admin',
        userid: run.summary.person.staffUserid,
      });
    });
    describeWithChromium('the printed sidebar URL in Chromium', () => {
      let browser: Browser;
      beforeAll(async () => {
        [browser] = await Promise.all([
          launchChromium(),
          mkdir(path.join(__dirname, '..', '..', 'test-output', 'screenshots'), { recursive: true }),
        ]);
      });
      afterAll(async () => {
        await browser?.close();
      });

      it('shows the story customer in two separate browser contexts (each signs in as the story rep)', async () => {
        const line = formatSummary(run.summary)
          .split('\n')
          .find((l) => l.trimStart().startsWith('sidebar'))!;
        const url = /(http\S+)/.exec(line)![1]!;
        const admin = new JsonClient(`${run.summary.gatewayUrl}/api/v1`, run.summary.adminKey);
        const story = await admin.get<{ name?: string | null; displayName: string | null }>(
          `/customers/${run.summary.person.customerId}`,
        );
        const expected = story.name ?? story.displayName;
        expect(expected).toBeTruthy();
        const seen: string[] = [];
        for (const visit of [1, 2]) {
          const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
          const page = await context.newPage();
          await page.goto(url);
          const name = page.getByTestId('customer-name');
          await name.waitFor({ timeout: 20_000 }).catch(async () => {
            throw new Error(`visit ${visit}: no customer shown: ${await page.locator('body').innerText()}`);
          });
          seen.push(await name.innerText());
          expect(await page.getByTestId('signed-in').innerText()).not.toBe('');
          if (visit === 1)
            await page.screenshot({
              path: path.join(__dirname, '..', '..', 'test-output', 'screenshots', 'demo-sidebar-360.png'),
              fullPage: true,
            });
          await context.close();
        }
        expect(seen).toEqual([expected, expected]);
      }, 60_000);
    });
  });

  it('siyu demo --exit runs the story on <data-dir>/demo.db, prints the summary and stops', async () => {
    const r = await cli(['--exit', '--port', '0', '--emulator-port', '0', '--data-dir', dir, '--log-level', 'silent']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Siyu demo — done in [\d.]+ s/);
    expect(r.out).toMatch(/callbacks {7}8\/8 accepted/);
    expect(r.out).toMatch(/· 0 dead · 0 pending/);
    expect((await stat(path.join(dir, 'demo.db'))).size).toBeGreaterThan(0);
  }, 180_000);
});
