import { Command, Option } from 'commander';
import { apiKeysRepo } from '../../data/apiKeysRepo.js';
import { API_KEY_TIERS, ApiKeyNotFoundError, TIER_LIMITS, createApiKey, revokeApiKey, type ApiKeyRecord, type ApiKeyTier } from '../../service/apiKeys.js';
import { dbFor } from '../context.js';
import { CliFailure, UsageError } from '../errors.js';
import { printJson, renderTable } from '../output.js';

const MAX_LABEL = 200;

function labelOption(value: string): string {
  const label = value.trim();
  if (label === '' || label.length > MAX_LABEL) throw new UsageError(`--label must be 1..${MAX_LABEL} characters`);
  return label;
}

/** What lists and JSON show: everything but the key, which is never stored. */
const view = (r: ApiKeyRecord) => ({
  id: r.id,
  prefix: r.prefix,
  tier: r.tier,
  label: r.label,
  created_at: r.createdAt,
  revoked_at: r.revokedAt,
  last_used_at: r.lastUsedAt,
});

export function keysCommand(): Command {
  const keys = new Command('keys').description('API keys for `hogi serve` when it binds beyond 127.0.0.1 or HOGI_REQUIRE_KEY=1 (stored hashed)');

  keys
    .command('create')
    .description('create a key and print it once (only its SHA-256 hash is stored)')
    .addOption(new Option('--tier <tier>', 'free (10/min, 2 at once), premium (100/min, 10), enterprise (1000/min, 100)').choices(API_KEY_TIERS).makeOptionMandatory())
    .requiredOption('--label <text>', 'who or what the key is for', labelOption)
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { tier: ApiKeyTier; label: string; json?: boolean }) {
      const db = dbFor(this, { seed: false });
      try {
        const { key, record } = createApiKey(apiKeysRepo(db), { tier: opts.tier, label: opts.label });
        if (opts.json) return printJson({ key, ...view(record) });
        const l = TIER_LIMITS[record.tier];
        process.stdout.write(
          `${key}\n\nCreated key ${record.id} (${record.prefix}…, ${record.tier}: ${l.perMinute} requests/min, ${l.concurrent} at once) for "${record.label}".\n` +
            'This is the only time the key is shown; store it now. Send it as the X-API-Key header or the api_key query parameter.\n',
        );
      } finally {
        db.close();
      }
    });

  keys
    .command('list')
    .description('list keys (prefix, tier, label, created, revoked, last used); never the keys themselves')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { json?: boolean }) {
      const db = dbFor(this, { seed: false });
      try {
        const rows = apiKeysRepo(db).list();
        if (opts.json) return printJson(rows.map(view));
        if (rows.length === 0) {
          process.stdout.write('No API keys yet. Create one with `hogi keys create --tier free --label NAME`.\n');
          return;
        }
        process.stdout.write(
          `${renderTable(rows, [
            { header: 'id', value: (r) => r.id, align: 'right' },
            { header: 'prefix', value: (r) => `${r.prefix}…` },
            { header: 'tier', value: (r) => r.tier },
            { header: 'label', value: (r) => r.label },
            { header: 'created', value: (r) => r.createdAt },
            { header: 'revoked', value: (r) => r.revokedAt },
            { header: 'last used', value: (r) => r.lastUsedAt },
          ])}\n`,
        );
      } finally {
        db.close();
      }
    });

  keys
    .command('revoke')
    .description('revoke a key by id or prefix: it then gets 403 API_KEY_REVOKED (a running server notices at once)')
    .argument('<id|prefix>', 'the id or the prefix shown by `hogi keys list`')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, ref: string, opts: { json?: boolean }) {
      const db = dbFor(this, { seed: false });
      try {
        const { record, alreadyRevoked } = revokeApiKey(apiKeysRepo(db), ref);
        if (opts.json) return printJson({ ...view(record), already_revoked: alreadyRevoked });
        process.stdout.write(
          alreadyRevoked
            ? `Key ${record.id} (${record.prefix}…) was already revoked at ${record.revokedAt}.\n`
            : `Revoked key ${record.id} (${record.prefix}…, ${record.tier}, "${record.label}").\n`,
        );
      } catch (e) {
        if (e instanceof ApiKeyNotFoundError) throw new CliFailure(e.message);
        throw e;
      } finally {
        db.close();
      }
    });

  return keys;
}
