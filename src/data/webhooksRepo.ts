// SQL for the outgoing notification targets (`hogi notify`).
import type { Db } from './db.js';

export type WebhookFormat = 'discord' | 'slack' | 'json';

export interface WebhookRow {
  id: number;
  url: string;
  format: WebhookFormat;
  createdAt: string;
}

export function webhooksRepo(db: Db) {
  return {
    add(url: string, format: WebhookFormat, createdAt: string): number {
      return Number(db.prepare('INSERT INTO webhooks (url, format, created_at) VALUES (?, ?, ?)').run(url, format, createdAt).lastInsertRowid);
    },
    list(): WebhookRow[] {
      return db
        .prepare<[], { id: number; url: string; format: WebhookFormat; created_at: string }>('SELECT id, url, format, created_at FROM webhooks ORDER BY id')
        .all()
        .map((r) => ({ id: r.id, url: r.url, format: r.format, createdAt: r.created_at }));
    },
    remove(id: number): boolean {
      return db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
    },
  };
}

export type WebhooksRepo = ReturnType<typeof webhooksRepo>;
