// hogi notify add URL --format discord|slack|json | list | remove ID: where to send a message
// after a round's tickets are checked.
import { Command } from 'commander';
import { webhooksRepo, type WebhookFormat } from '../../data/webhooksRepo.js';
import { validWebhookUrl, WEBHOOK_FORMATS, WebhookUrlError } from '../../service/tickets/notify.js';
import { dbFor } from '../context.js';
import { CliFailure, UsageError, parsePositiveIntOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';

export function notifyCommand(): Command {
  const cmd = new Command('notify').description('webhooks told the results after a round’s tickets are checked (retried with backoff; never blocks sync)');
  cmd
    .command('add')
    .description('add a webhook: a message with each round’s ticket results is POSTed to it')
    .argument('<url>', 'http(s) URL to POST to')
    .option('--format <f>', 'discord, slack or json', (v: string) => {
      if (!(WEBHOOK_FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${WEBHOOK_FORMATS.join(', ')}, got "${v}"`);
      return v as WebhookFormat;
    }, 'json')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, url: string, opts: { format: WebhookFormat; json?: boolean }) {
      let clean: string;
      try {
        clean = validWebhookUrl(url);
      } catch (e) {
        if (e instanceof WebhookUrlError) throw new UsageError(e.message);
        throw e;
      }
      const id = webhooksRepo(dbFor(this)).add(clean, opts.format, new Date().toISOString());
      if (opts.json) return printJson({ id, url: clean, format: opts.format });
      process.stdout.write(`webhook ${id} added (${opts.format})\n`);
    });
  cmd
    .command('list')
    .description('list the webhooks')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { json?: boolean }) {
      const rows = webhooksRepo(dbFor(this)).list();
      if (opts.json) return printJson(rows.map((r) => ({ id: r.id, url: r.url, format: r.format, created_at: r.createdAt })));
      if (rows.length === 0) return void process.stdout.write('No webhooks. Add one with `hogi notify add URL --format discord|slack|json`.\n');
      process.stdout.write(`${renderTable(rows, [
        { header: 'id', value: (r) => r.id, align: 'right' },
        { header: 'format', value: (r) => r.format },
        { header: 'url', value: (r) => r.url },
      ])}\n`);
    });
  cmd
    .command('remove')
    .description('remove a webhook')
    .argument('<id>', 'webhook id', parsePositiveIntOption('id'))
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, id: number, opts: { json?: boolean }) {
      if (!webhooksRepo(dbFor(this)).remove(id)) throw new CliFailure(`no webhook ${id}`);
      if (opts.json) return printJson({ removed: id });
      process.stdout.write(`removed webhook ${id}\n`);
    });
  return cmd;
}
