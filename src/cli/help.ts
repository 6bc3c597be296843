/** What `siyu <command> --help` prints: usage, what the command does, and every flag it takes. */
export interface CommandHelp {
  usage: string;
  summary: string;
  /** Flags the command accepts (name without dashes → explanation); anything else is refused. */
  flags: Record<string, string>;
  /** Positional arguments, and notes such as exit codes. */
  details?: string[];
}

const CONFIG_NOTE =
  'Reads the config file named by SIYU_CONFIG (YAML or JSON); DATABASE_URL and LOG_LEVEL override single values.';

export const COMMAND_HELP: Record<string, CommandHelp> = {
  serve: {
    usage: 'siyu serve',
    summary:
      'Start the gateway: HTTP server, inbox and outbox workers, cron jobs. SIGTERM or Ctrl-C stops it gracefully.',
    flags: {},
    details: [CONFIG_NOTE, 'PORT overrides server.port.'],
  },
  migrate: {
    usage: 'siyu migrate [up|down|status]',
    summary:
      'Apply every pending migration (up, the default), roll back the last one (down), or list pending ones (status).',
    flags: {},
    details: [CONFIG_NOTE],
  },
  'api-key': {
    usage:
      'siyu api-key create --role admin|operator|viewer|ingest --name NAME\n       siyu api-key list\n       siyu api-key revoke <id|name>',
    summary:
      'Manage API keys for the admin API. create prints the new key once on stdout (only its hash is stored) and says which database it was written to.',
    flags: {
      role: 'create: admin (everything), operator (customers, tags, segments, syncs) or viewer (read only, phones masked)',
      name: 'create: a name for the key, shown in list and in the audit log',
    },
    details: [CONFIG_NOTE],
  },
  operator: {
    usage:
      'siyu operator add --corp CORPID --userid USERID --role ROLE [--name NAME]\n       siyu operator add --login LOGIN --role ROLE --password-stdin [--name NAME]\n       siyu operator list\n       siyu operator disable <id>',
    summary:
      'Manage the people who sign in to the console: a WeCom member (WeCom login) or a local account (login and password). The first admin comes from here. disable ends their sessions at once.',
    flags: {
      corp: 'add: the WeCom corpId of the member',
      userid: 'add: the WeCom userid of the member',
      login: 'add: a local account login (letters, digits, . _ @ -)',
      'password-stdin': 'add --login: read the password (10+ characters) from stdin; never pass it on the command line',
      role: 'add: admin (everything), operator (customers, tags, segments, syncs) or viewer (read only, phones masked)',
      name: "add: the person's name as the console shows it (default: the staff directory's name, or the userid/login)",
    },
    details: [CONFIG_NOTE],
  },
  emulator: {
    usage: 'siyu emulator [flags]',
    summary: 'Start the local WeChat emulator (its flags: siyu emulator --help).',
    flags: {},
  },
  demo: {
    usage: 'siyu demo [--exit] [--port 3000] [--emulator-port 4000] [--seed 11] [--data-dir ./data] [--log-level warn]',
    summary:
      'Run the emulator and the gateway (SQLite at <data-dir>/demo.db) with a seeded story, print a summary and the console and sidebar URLs, then keep both running until Ctrl-C. Does not read SIYU_CONFIG.',
    flags: {
      exit: 'stop after the summary instead of keeping the servers running',
      port: 'gateway port (default 3000; a taken port is replaced by a free one)',
      'emulator-port': 'emulator port (default 4000)',
      seed: "seed of the emulator's world (default 11)",
      'data-dir': 'folder for demo.db and the data key (default ./data)',
      'log-level': 'fatal | error | warn | info | debug | silent (default warn)',
    },
  },
  sync: {
    usage: 'siyu sync <accountId> <resource>',
    summary:
      'Run or resume one full sync in this process with a progress bar (count/total, rate, ETA). Ctrl-C pauses after the current page; the same command resumes from the checkpoint.',
    flags: {},
    details: [
      'accountId: an account id from the config (its id, else its appId / corpId); resource: followers (OA), contacts, corp-tags, staff or groups (WeCom).',
      'Exit status: 0 done, 1 failed or refused, 130 paused.',
      CONFIG_NOTE,
    ],
  },
  import: {
    usage: 'siyu import <file> --kind customers|orders|events --source <id> [--format csv|ndjson] [--map col=field,…]',
    summary:
      'Import a CSV (with a header; UTF-8, with or without BOM, or GBK) or NDJSON file in this process with a progress bar; refused rows are listed with their line and reason and the rest goes on. Importing the same file again changes nothing.',
    flags: {
      kind: 'customers, orders or events',
      source: 'a source id from the config (sources: [{ id, name, verifiedPhone? }])',
      format: 'csv or ndjson (default: from the file extension, else csv)',
      map: 'column=field pairs separated by commas; fields: identity.<type>[:<scope>], phone, displayName, attribute.<key>, orderNo, amountFen, paidAt, refundedFen, clientId, type, occurredAt, property.<key>; an unmapped column is read as the field of its own name',
    },
    details: ['Exit status: 0 done (refused rows included), 1 failed or refused, 2 usage.', CONFIG_NOTE],
  },
  'push-tags': {
    usage: 'siyu push-tags [--sweep] [--json]',
    summary:
      'Push every due outbox row to WeChat now and print what happened and what is left. Rows backing off after a retryable failure wait for their next attempt.',
    flags: {
      sweep: 'first queue every difference between the desired tags and what WeChat is known to hold',
      json: 'print one JSON object { queued?, pushed, durationMs, outbox, nextAttemptAt } instead of text',
    },
    details: ['Exit status: 0, or 1 when rows went dead in this run.', CONFIG_NOTE],
  },
  backup: {
    usage: 'siyu backup <file> [--force]',
    summary:
      "Copy the SQLite database to <file> through SQLite's online backup API: a consistent snapshot, safe while the gateway runs. A database whose data key was generated (no security.dataKey) gets its keys file copied beside the backup (<file minus .db>.keys.json, mode 0600). To restore, stop the gateway and put the file at database.url's path.",
    flags: { force: 'replace <file> (and its keys file) if it exists' },
    details: [
      'MySQL: refused (exit 1) with the mysqldump --single-transaction and mariabackup commands for that server.',
      'Exit status: 0 done, 1 refused or failed, 2 usage.',
      CONFIG_NOTE,
    ],
  },
};

export function formatCommandHelp(h: CommandHelp): string {
  const flags = [...Object.entries(h.flags), ['help', 'print this text']];
  const width = Math.max(...flags.map(([f]) => f!.length)) + 4;
  const lines = [
    `usage: ${h.usage}`,
    '',
    h.summary,
    '',
    'flags:',
    ...flags.map(([f, text]) => `  --${f!.padEnd(width)}${text}`),
  ];
  if (h.details?.length) lines.push('', ...h.details);
  return `${lines.join('\n')}\n`;
}

export const USAGE = `usage: siyu <command> [args]   (siyu <command> --help explains each one)
  serve                                   start the gateway
  migrate [up|down|status]                apply, roll back one, or list pending migrations
  emulator [--port 4000] [--seed N] …     start the local WeChat emulator
  demo [--exit] [--port 3000] [--emulator-port 4000]
                                          gateway + emulator + a seeded story, then a summary
  api-key create --role admin|operator|viewer|ingest --name NAME
  api-key list | api-key revoke <id|name>
  operator add --corp C --userid U --role R | operator add --login L --role R --password-stdin
  operator list | operator disable <id>   people who sign in to the console
  sync <accountId> <resource>             full sync (followers | contacts | corp-tags | staff | groups), resumable
  import <file> --kind K --source S [--map col=field,…]
                                          bulk import of customers, orders or events (CSV or NDJSON)
  push-tags [--sweep] [--json]            drain the tag outbox now (--sweep: queue every difference first)
  backup <file> [--force]                 consistent copy of the SQLite database while it runs (MySQL: prints mysqldump)
  --version                               print the version

Config: SIYU_CONFIG=/path/siyu.yaml; DATABASE_URL, PORT and LOG_LEVEL override single values.
`;
