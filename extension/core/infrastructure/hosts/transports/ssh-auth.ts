/**
 * How we log in to an SSH host, in OpenSSH's order: ssh-agent (SSH_AUTH_SOCK), then the
 * identity files (asking for a passphrase through `askSecret` when a key is encrypted), then a
 * password or keyboard-interactive answers through `askSecret`. Secrets are kept in memory for
 * the one attempt only and never written anywhere. No agent forwarding.
 */
import { readFile } from 'node:fs/promises';
import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import { SecretPromptUnavailableError } from '../host-errors';
import type { SshTarget } from './ssh-config';

/** What {@link AskSecret} is asked for. */
export interface SecretPrompt {
  readonly kind: 'passphrase' | 'password' | 'keyboard-interactive';
  /** A sentence to show, e.g. `Passphrase for /home/me/.ssh/id_ed25519`. */
  readonly message: string;
  /** `user@host:port`: what a stored secret can be keyed by. */
  readonly account: string;
  /** The key file, for passphrases. */
  readonly keyFile?: string;
  /** True when an earlier answer to the same question was wrong (forget a stored one). */
  readonly retry: boolean;
}

/**
 * Asks a person (or SecretStorage) for a secret; undefined = none, skip this method. The editor
 * implements it with SecretStorage and an input box, the CLI with a terminal prompt. One that
 * cannot ask anybody throws {@link SecretPromptUnavailableError}: nothing more is asked, and a
 * failed login then says which secrets were needed.
 */
export type AskSecret = (prompt: SecretPrompt) => Promise<string | undefined>;

/** How many times a wrong passphrase or password is asked again (as OpenSSH's NumberOfPasswordPrompts). */
export const SECRET_TRIES = 3;

/** What the auth handler needs around it. */
export interface AuthContext {
  readonly target: SshTarget;
  /** ssh-agent socket; undefined = no agent. */
  readonly agentSocket: string | undefined;
  readonly askSecret: AskSecret | undefined;
  /** Called around every question to a person, so the connect timeout does not run meanwhile. */
  readonly pause: () => void;
  readonly resume: () => void;
  readonly debug?: (line: string) => void;
}

/** The auth handler, and what it tried (for the error message when all failed). */
export interface AuthPlan {
  readonly handler: AuthHandlerMiddleware;
  readonly tried: string[];
  /** Problems with keys worth telling (unreadable file, wrong passphrase, …). */
  readonly notes: string[];
  /** Questions that could not be asked (see {@link SecretPromptUnavailableError}), and why. */
  readonly unasked: { readonly prompts: SecretPrompt[]; reason: string | undefined };
}

type Step = { readonly kind: 'agent' } | { readonly kind: 'key'; readonly file: string } | { readonly kind: 'password' } | { readonly kind: 'keyboard-interactive' };

function isParsedKey(value: ParsedKey | ParsedKey[] | Error): value is ParsedKey {
  return !(value instanceof Error) && !Array.isArray(value);
}

/** Builds the ssh2 authHandler for one connection attempt. */
export function makeAuthPlan(context: AuthContext): AuthPlan {
  const { target } = context;
  const account = `${target.user}@${target.hostname}:${target.port}`;
  const tried: string[] = [];
  const notes: string[] = [];
  const steps: Step[] = [];
  if (context.agentSocket !== undefined && !target.identitiesOnly) steps.push({ kind: 'agent' });
  for (const file of target.identityFiles) steps.push({ kind: 'key', file });
  if (context.askSecret !== undefined) steps.push({ kind: 'password' }, { kind: 'keyboard-interactive' });
  const unasked: AuthPlan['unasked'] = { prompts: [], reason: undefined };
  let passwordTries = 0;
  let keyboardTries = 0;

  const ask = async (prompt: SecretPrompt): Promise<string | undefined> => {
    if (context.askSecret === undefined) return undefined;
    if (unasked.reason !== undefined) {
      unasked.prompts.push(prompt);
      return undefined;
    }
    context.pause();
    try {
      return await context.askSecret(prompt);
    } catch (error) {
      if (!(error instanceof SecretPromptUnavailableError)) throw error;
      unasked.prompts.push(prompt);
      unasked.reason = error.reason;
      return undefined;
    } finally {
      context.resume();
    }
  };

  /** Reads and decrypts a key; undefined = skip it (missing, unreadable, no or wrong passphrase). */
  const loadKey = async (file: string): Promise<ParsedKey | undefined> => {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') notes.push(`cannot read ${file} (${code ?? 'error'})`);
      return undefined;
    }
    // Loaded with the first key, not with the editor (see ssh-transport.ts).
    const { utils } = await import('ssh2');
    let parsed = utils.parseKey(data);
    if (isParsedKey(parsed)) return parsed;
    if (parsed instanceof Error && !/no passphrase given/i.test(parsed.message)) {
      notes.push(`${file} is not a private key ssh2 can read (${parsed.message})`);
      return undefined;
    }
    for (let attempt = 0; attempt < SECRET_TRIES; attempt += 1) {
      const passphrase = await ask({
        kind: 'passphrase',
        message: `Passphrase for ${file}`,
        account,
        keyFile: file,
        retry: attempt > 0,
      });
      if (passphrase === undefined) {
        if (unasked.reason === undefined) notes.push(`${file} is encrypted and no passphrase was given`);
        return undefined;
      }
      parsed = utils.parseKey(data, passphrase);
      if (isParsedKey(parsed)) return parsed;
    }
    notes.push(`wrong passphrase for ${file}`);
    return undefined;
  };

  const nextMethod = async (authsLeft: readonly string[]): Promise<AnyAuthMethod | false> => {
    const allowed = (method: string): boolean => authsLeft.includes(method);
    for (;;) {
      const step = steps[0];
      if (step === undefined) return false;
      switch (step.kind) {
        case 'agent':
          steps.shift();
          if (!allowed('publickey') || context.agentSocket === undefined) continue;
          tried.push('ssh-agent');
          return { type: 'agent', username: target.user, agent: context.agentSocket };
        case 'key': {
          steps.shift();
          if (!allowed('publickey')) continue;
          const key = await loadKey(step.file);
          if (key === undefined) continue;
          tried.push(`key ${step.file}`);
          return { type: 'publickey', username: target.user, key };
        }
        case 'password': {
          if (!allowed('password') || passwordTries >= SECRET_TRIES) {
            steps.shift();
            continue;
          }
          const password = await ask({
            kind: 'password',
            message: `Password for ${account}`,
            account,
            retry: passwordTries > 0,
          });
          passwordTries += 1;
          if (password === undefined) {
            steps.shift();
            continue;
          }
          if (passwordTries === 1) tried.push('password');
          else tried[tried.length - 1] = `password (${passwordTries} times)`;
          return { type: 'password', username: target.user, password };
        }
        case 'keyboard-interactive': {
          if (!allowed('keyboard-interactive') || keyboardTries >= SECRET_TRIES || unasked.reason !== undefined) {
            steps.shift();
            continue;
          }
          keyboardTries += 1;
          const retry = keyboardTries > 1;
          if (!retry) tried.push('keyboard-interactive');
          return {
            type: 'keyboard-interactive',
            username: target.user,
            prompt: (_name, _instructions, _lang, prompts, finish) => {
              void (async () => {
                const answers: string[] = [];
                for (const p of prompts) {
                  const answer = await ask({ kind: 'keyboard-interactive', message: p.prompt.trim() || `Answer for ${account}`, account, retry });
                  answers.push(answer ?? '');
                }
                finish(answers);
              })();
            },
          };
        }
      }
    }
  };

  const handler: AuthHandlerMiddleware = (authsLeft, _partialSuccess, next) => {
    // First ask with `none`, as OpenSSH does: the refusal lists the methods the server takes,
    // so nobody is asked for a password a server would not accept.
    if (authsLeft === null || authsLeft === undefined) {
      next({ type: 'none', username: target.user });
      return;
    }
    nextMethod(authsLeft).then(
      (method) => next(method as AnyAuthMethod),
      (error: unknown) => {
        notes.push(`authentication error: ${(error as Error).message}`);
        next(false as unknown as AnyAuthMethod);
      },
    );
  };
  return { handler, tried, notes, unasked };
}
