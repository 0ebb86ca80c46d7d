// hogi tickets add | list | check | summary | remove and hogi draws --check against a file database;
// draws arriving by `hogi import` check the tickets of their round in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-tickets-'));
  dbPath = join(dir, 'hogi.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hogi = (...args: string[]) => runCli(['--db', dbPath, ...args]);
const HEADER = 'round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales';
const QR = 'https://qr.dhlottery.co.kr/?v=0002m091321253242q010304091321n000000000000n000000000000n000000000000123456789012345678';

function csv(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[HEADER, ...rows].join('\n')}\n`);
  return path;
}

interface TicketJson {
  id: number;
  status: string;
  games: Array<{ numbers: number[]; result: { rank: number | null; prize_gross: number | null; amount_pending: boolean } | null }>;
}

describe('hogi tickets', () => {
  it('a typed ticket waits for its draw; importing the draw and then its prizes checks it each time', async () => {
    const add = await hogi('tickets', 'add', '--round', '2', '--numbers', '9,13,21,25,32,42', '--numbers', '1,2,3,4,5,6', '--json');
    expect(add.code, add.stderr).toBe(0);
    const t = JSON.parse(add.stdout) as TicketJson;
    expect(t.status).toBe('pending');

    expect((await hogi('import', csv('draw.csv', ['2,2002-12-14,9,13,21,25,32,42,2,,,']))).code).toBe(0);
    const drawn = JSON.parse((await hogi('tickets', 'list', '--json')).stdout) as { items: TicketJson[] };
    expect(drawn.items[0].status).toBe('checked');
    expect(drawn.items[0].games.map((g) => [g.result?.rank, g.result?.prize_gross, g.result?.amount_pending])).toEqual([
      [1, null, true],
      [null, null, false],
    ]);

    expect((await hogi('import', csv('prizes.csv', ['2,2002-12-14,9,13,21,25,32,42,2,2002006800,1,4904274000']))).code).toBe(0);
    const paid = JSON.parse((await hogi('tickets', 'list', '--round', '2', '--json')).stdout) as { items: TicketJson[] };
    expect(paid.items[0].games[0].result).toMatchObject({ rank: 1, prize_gross: 2_002_006_800, amount_pending: false });

    const text = await hogi('tickets', 'list');
    expect(text.stdout).toContain('rank 1: 2,002,006,800 won, tax 627,661,914 won, net 1,374,344,886 won');
  });

  it('adds from QR text, refuses the same ticket twice, and never prints the serial', async () => {
    const first = await hogi('tickets', 'add', QR);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/ticket 1 {2}round 2 {2}qr/);
    expect(first.stdout).not.toContain('123456789012345678');
    const again = await hogi('tickets', 'add', QR);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('it is ticket 1');
    const bad = await hogi('tickets', 'add', QR.replace('qr.dhlottery', 'qr.dhlottery.co.kr.evil'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('QR_HOST');
    expect(bad.stderr).not.toContain('123456789012345678');
    expect(JSON.parse((await hogi('tickets', 'list', '--json')).stdout).total).toBe(1);
  });

  it('refuses bad typed games and options with a clear line', async () => {
    expect((await hogi('tickets', 'add', '--round', '2', '--numbers', '1,2,3,4,5,99')).stderr).toMatch(/games\.0.*1\.\.45/);
    expect((await hogi('tickets', 'add', '--round', '2')).code).toBe(2);
    expect((await hogi('tickets', 'add', '--numbers', 'a,b')).code).toBe(2);
    expect((await hogi('tickets', 'remove', '7')).stderr).toContain('no ticket 7');
  });

  it('check, summary and remove', async () => {
    await hogi('import', csv('d.csv', ['2,2002-12-14,9,13,21,25,32,42,2,2002006800,1,4904274000']));
    await hogi('tickets', 'add', '--round', '2', '--numbers', '9,13,21,25,32,42');
    const check = JSON.parse((await hogi('tickets', 'check', '--json')).stdout) as { checked_games: number; summary: { spent: number; net: number } };
    expect(check).toMatchObject({ checked_games: 1, summary: { spent: 1_000, net: 1_374_344_886 } });
    const summary = await hogi('tickets', 'summary');
    expect(summary.stdout).toContain('1,374,343,886');
    expect((await hogi('tickets', 'remove', '1')).stdout).toContain('removed ticket 1');
    expect(JSON.parse((await hogi('tickets', 'list', '--json')).stdout).total).toBe(0);
  });
});

describe('hogi draws --check', () => {
  it('lists the rounds the combination would have won and the money of playing it every week', async () => {
    await hogi('import', csv('d.csv', ['1,2002-12-07,10,23,29,33,37,40,16,0,0,3681782000', '2,2002-12-14,9,13,21,25,32,42,2,2002006800,1,4904274000']));
    const json = JSON.parse((await hogi('draws', '--check', '9,13,21,25,32,42', '--json')).stdout) as { wins: Array<{ round: number; rank: number; prize_each: number }>; cost: number; paid_net: number };
    expect(json.wins).toEqual([expect.objectContaining({ round: 2, rank: 1, prize_each: 2_002_006_800 })]);
    expect(json.cost).toBe(2_000);
    expect(json.paid_net).toBe(1_374_344_886);
    const text = await hogi('draws', '--check', '10,23,29,1,2,3');
    expect(text.stdout).toContain('5th 1');
    expect(text.stdout).toContain('not stored');
    expect((await hogi('draws', '--check', '1,2,3')).code).toBe(2);
  });
});

describe('hogi notify', () => {
  it('adds, lists and removes webhooks; refuses a non-http URL and an unknown format', async () => {
    const added = JSON.parse((await hogi('notify', 'add', 'https://hooks.example/abc', '--format', 'discord', '--json')).stdout) as { id: number };
    expect(added).toMatchObject({ id: 1, format: 'discord' });
    expect(JSON.parse((await hogi('notify', 'list', '--json')).stdout)).toEqual([expect.objectContaining({ id: 1, url: 'https://hooks.example/abc', format: 'discord' })]);
    expect((await hogi('notify', 'add', 'ftp://hooks.example/')).code).toBe(2);
    expect((await hogi('notify', 'add', 'https://hooks.example/', '--format', 'teams')).code).toBe(2);
    expect((await hogi('notify', 'remove', '1')).stdout).toContain('removed webhook 1');
    expect((await hogi('notify', 'remove', '1')).code).toBe(1);
  });
});
