import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../../bot/channels/terminal/terminalChat.ts';
import { renderOutbound, toInboundEvent } from '../../../../bot/channels/terminal/terminalAdapter.ts';
import { renderOutbound as renderForTelegram } from '../../../../bot/channels/telegram/telegramAdapter.ts';
import { Renderer } from '../../../../bot/i18n.ts';
import { locales, resources } from '../../../../content/locales/index.ts';
import { say } from '../../../../flows/messages.ts';
import { createHarness, TEST_SECRET, type Harness } from '../../../support/chatHarness.ts';

const root = path.resolve(import.meta.dirname, '../../../..');

function chatProcess(dataDir: string) {
  return spawn(process.execPath, ['--import', 'tsx', 'bot/cli/netra.ts', 'chat'], {
    cwd: root,
    env: { ...process.env, NETRA_DATA_DIR: dataDir, NETRA_SECRET: TEST_SECRET, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs a scripted chat and resolves with its output and exit code. */
function scripted(dataDir: string, lines: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = chatProcess(dataDir);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('the terminal chat as a process', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const freshDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'netra-chat-'));
    dirs.push(d);
    return d;
  };

  it('runs a piped conversation, one message per line, and exits cleanly when stdin ends', async () => {
    const { stdout, code } = await scripted(freshDir(), ['/start', '5', '6']);
    expect(code).toBe(0);
    expect(stdout).toContain('Selamat datang di Netra');
    expect(stdout).toContain('  1. Laporkan pelanggaran');
    expect(stdout).toContain('Language switched to English');
    expect(stdout).toContain('Choose a menu entry');
    expect(stdout).not.toContain('{"level"');
  });

  it('resumes where the user was after the process is killed, language included', async () => {
    const dataDir = freshDir();
    const child = chatProcess(dataDir);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.write('/start\n/bahasa\n');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (stdout.includes('Language switched to English')) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
      child.on('close', () => reject(new Error(`chat ended early: ${stdout}`)));
    });
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGKILL');
    await closed;
    const again = await scripted(dataDir, ['6']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Choose a menu entry');
    expect(again.stdout).not.toContain('Selamat datang');
  });
});

describe('the terminal chat as an interactive process', () => {
  it('keeps log lines out of the conversation, in chat.log in the data directory', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-chat-tty-'));
    try {
      // `script` gives the chat a real terminal. Without NETRA_SECRET the chat logs a warning as it starts.
      const env: NodeJS.ProcessEnv = { ...process.env, NETRA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
      delete env.NETRA_SECRET;
      const child = spawn('script', ['-qfec', `"${process.execPath}" --import tsx bot/cli/netra.ts chat`, '/dev/null'], {
        cwd: root,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let shown = '';
      child.stdout.on('data', (d: Buffer) => (shown += d.toString()));
      const closed = new Promise((r) => child.on('close', r));
      const waitFor = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setInterval(() => {
            if (shown.includes(text)) {
              clearInterval(timer);
              resolve();
            }
          }, 50);
          void closed.then(() => reject(new Error(`chat ended early: ${shown}`)));
        });
      await waitFor('Ketik /start');
      child.stdin.write('/start\r');
      await waitFor('Apa yang ingin Anda lakukan?');
      child.kill('SIGKILL');
      await closed;
      expect(shown).toContain(`Log: ${path.join(dataDir, 'chat.log')}`);
      expect(shown).not.toContain('{"level"');
      expect(readFileSync(path.join(dataDir, 'chat.log'), 'utf8')).toContain('NETRA_SECRET is not set');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the terminal chat on a TTY', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a prompt and, for a returning user, the question they were last asked', async () => {
    await h.command('start', '', { chat: 'local' });
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const done = runTerminalChat(h.app, { input, output });
    input.end('6\n');
    await done;
    expect(shown).toContain('Selamat datang kembali di Netra.');
    expect(shown).toContain('Apa yang ingin Anda lakukan?');
    expect(shown).toContain('> ');
    expect(shown).toContain('Pilih salah satu menu dengan mengetik angkanya.');
    expect(shown).not.toContain('tombol');
  });

  it('greets a new user with how to begin, in the default language', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const done = runTerminalChat(h.app, { input, output, user: 'baru' });
    input.end();
    await done;
    expect(shown).toContain('Ketik /start untuk memulai (type /start to begin).');
  });

  it('says when a file to attach cannot be read, in the chat\'s language, and the conversation waits as it was', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const done = runTerminalChat(h.app, { input, output, user: 'lupa-jalur' });
    input.end(['/start', '/bahasa', '/file /tidak/ada/foto.jpg', '6', ''].join('\n'));
    await done;
    expect(shown).toContain('I cannot find or read the file /tidak/ada/foto.jpg. Check its path, then type again: /file <path to the file>');
    expect(shown).not.toContain('I did not');
    expect(shown).toContain('Choose a menu entry');
  });
});

describe('typed lines in the terminal', () => {
  it('are commands, files to attach, text, or nothing', () => {
    expect(toInboundEvent('/lapor')).toEqual({ type: 'event', event: { type: 'user.sendCommand', name: 'lapor', args: '' } });
    expect(toInboundEvent('/status NTR-AAAA-BBBB 1234')).toMatchObject({ event: { name: 'status', args: 'NTR-AAAA-BBBB 1234' } });
    expect(toInboundEvent('/file ./foto.jpg')).toEqual({ type: 'file', path: './foto.jpg' });
    expect(toInboundEvent('  ')).toEqual({ type: 'empty' });
    expect(toInboundEvent('Budi <b>x</b>')).toEqual({ type: 'event', event: { type: 'user.sendText', text: 'Budi <b>x</b>' } });
  });
});

describe('files shown in the terminal', () => {
  it('points to where the file is on disk, inside the data directory', async () => {
    const document = { type: 'document' as const, path: 'certificates/ABCD-EFGH-JKLM.pdf', fileName: 'sertifikat-netralitas-asn-ABCD-EFGH-JKLM.pdf' };
    const shown = renderOutbound(document, await Renderer.create(), 'id', '/srv/netra-data');
    expect(shown).toContain('📎 sertifikat-netralitas-asn-ABCD-EFGH-JKLM.pdf: /srv/netra-data/certificates/ABCD-EFGH-JKLM.pdf');
  });
});

/** Every text key of a locale (`menu.help`, `report.errors.useChoices`), plural forms by their base key. */
function keysOf(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return [prefix.replace(/_(?:zero|one|two|few|many|other)$/, '')];
  if (tree === null || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key));
}

/** Words that send the user to a button, which the terminal does not have. */
const BUTTON_WORDS = { id: /\b(?:tombol\w*|tekan|menekan|ketuk)\b/i, en: /\b(?:button\w*|press|pressing|tap)\b/i } as const;
/**
 * Texts the terminal never shows: another channel's own, the officers' (who work on Telegram), and those answering a
 * press on a button that is no longer valid.
 */
const NOT_IN_TERMINAL = /^(?:telegram|whatsapp|officer)\.|^(?:common\.staleButton|report\.errors\.staleChoice)$/;

describe('hints shown in the terminal', () => {
  it('tell the user to type the number of a choice, never to press a button, in both languages', async () => {
    const renderer = await Renderer.create();
    for (const locale of locales) {
      const keys = [...new Set(keysOf(resources[locale]))].filter((key) => !NOT_IN_TERMINAL.test(key));
      expect(keys.length).toBeGreaterThan(300);
      const pointing = keys.filter((key) => BUTTON_WORDS[locale].test(renderOutbound(say(key), renderer, locale)));
      expect(pointing, `${locale} texts that point to a button in the terminal`).toEqual([]);
    }
    expect(renderOutbound(say('menu.help'), renderer, 'id')).toContain('mengetik angkanya');
    expect(renderOutbound(say('quiz.answerHint', { last: 4, lastLetter: 'D' }), renderer, 'en')).toContain("typing the option's number or letter (1–4 or A–D) or its words");
  });

  it('leave Telegram its buttons', async () => {
    const renderer = await Renderer.create();
    const telegram = (key: string, locale: 'id' | 'en') => renderForTelegram(say(key, { last: 4 }), renderer, locale).map((c) => ('text' in c ? c.text : '')).join('');
    expect(telegram('menu.help', 'id')).toContain('menekan tombol');
    expect(telegram('quiz.answerHint', 'en')).toContain('pressing one of the buttons');
  });
});
