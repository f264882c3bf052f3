import { type AlertInput, ConfigError, type ValidationIssue } from '@pytake/notify-core';
import type { ConsoleAction, Operator } from './api-types.js';
import type { ConsoleSource } from './source.js';

/** Options of `createConsole`: where alerts come from, who may use the console, and what an action does. */
export interface ConsoleOptions {
  /** Where the alerts come from: `createInProcessSource()`, or the queue's Redis. */
  source: ConsoleSource;
  /**
   * Says who sends a request (a sign-in cookie, a header your proxy sets, ...) or refuses it with
   * `undefined` (401). Called for every request, the page and its files included. Required: there
   * is no open console, except with `dangerouslyAllowAnyoneForLocalDevelopment`.
   */
  authorize?: (request: Request) => Promise<Operator | undefined>;
  /**
   * Lets every request in as an operator of every organization, with a warning. For a console on
   * your own machine only; refused when `NODE_ENV` is `production`.
   */
  dangerouslyAllowAnyoneForLocalDevelopment?: boolean;
  /**
   * Carries out Acknowledge, Resolve and Assign: the alert's state is the service's. Left out, the
   * console shows no buttons and refuses actions. Return the alert as it is now (an `AlertInput`)
   * to have its Slack messages edited, when the source can (`updateAlertMessages`: the Redis source
   * asks the queue's workers, whichever process serves the page); return nothing to leave them.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an onAction that returns nothing (Promise<void>) stays valid
  onAction?: (action: ConsoleAction, operator: Operator) => Promise<AlertInput | undefined | void>;
  /** Where the console is mounted, e.g. `/console`; `''` for the root. @default consoleDefaults.basePath */
  basePath?: string;
  /**
   * Origins besides the request's own that may POST actions, e.g. `https://ops.example.com` when a
   * proxy in front of the service changes the host or the scheme.
   */
  allowedOrigins?: readonly string[];
  /** Told about errors the console answers with 500 (the answer says nothing more). @default console.error */
  onError?: (error: unknown) => void;
}

/** The defaults of {@link ConsoleOptions}. */
export const consoleDefaults = {
  /** @default '/console' */
  basePath: '/console',
  /** Largest action body accepted, in bytes. @default 16384 */
  maxBodyBytes: 16 * 1024,
  /** A comment line this often keeps idle live connections open through proxies. @default 20000 */
  keepAliveMs: 20_000,
} as const;

/** The options with defaults applied and a known operator rule. */
export interface CheckedConsoleOptions {
  source: ConsoleSource;
  authorize: (request: Request) => Promise<Operator | undefined>;
  onAction?: ConsoleOptions['onAction'];
  basePath: string;
  allowedOrigins: ReadonlySet<string>;
  onError: (error: unknown) => void;
}

/** The operator every request becomes with `dangerouslyAllowAnyoneForLocalDevelopment`. */
const localDeveloper: Operator = { id: 'local-development', name: 'Local development (no sign-in)' };
let warned = false;

const isFunction = (value: unknown) => typeof value === 'function';

export function checkConsoleOptions(options: ConsoleOptions): CheckedConsoleOptions {
  const issues: ValidationIssue[] = [];
  const source = options?.source as Partial<ConsoleSource> | undefined;
  if (
    !source ||
    !['listAlerts', 'getAlert', 'health', 'changes'].every((m) => isFunction(source[m as never]))
  )
    issues.push({
      path: 'source',
      message:
        'expected a ConsoleSource (listAlerts, getAlert, health, changes), e.g. createInProcessSource()',
    });
  const open = options?.dangerouslyAllowAnyoneForLocalDevelopment === true;
  if (options?.authorize === undefined && !open)
    issues.push({
      path: 'authorize',
      message:
        'is required: a function (request) => Promise<Operator | undefined> that says who may use the console',
    });
  else if (options?.authorize !== undefined && !isFunction(options.authorize))
    issues.push({ path: 'authorize', message: `expected a function, got ${typeof options.authorize}` });
  else if (options?.authorize !== undefined && open)
    issues.push({
      path: 'dangerouslyAllowAnyoneForLocalDevelopment',
      message: 'cannot be used together with authorize: pass one of them',
    });
  if (open && process.env.NODE_ENV === 'production')
    issues.push({
      path: 'dangerouslyAllowAnyoneForLocalDevelopment',
      message: 'is refused when NODE_ENV is production: pass authorize',
    });
  if (options?.onAction !== undefined && !isFunction(options.onAction))
    issues.push({ path: 'onAction', message: `expected a function, got ${typeof options.onAction}` });
  const basePath = options?.basePath ?? consoleDefaults.basePath;
  // A plain path: it is written into the page, and a `..` or a query would make it another place.
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$/.test(basePath))
    issues.push({
      path: 'basePath',
      message: `expected '' or a path like '/console' (no trailing slash), got ${JSON.stringify(basePath)}`,
    });
  const allowedOrigins = new Set<string>();
  for (const [i, origin] of (options?.allowedOrigins ?? []).entries()) {
    if (originOf(origin) === origin) allowedOrigins.add(origin);
    else
      issues.push({
        path: `allowedOrigins[${i}]`,
        message: `expected an origin like 'https://ops.example.com', got ${JSON.stringify(origin)}`,
      });
  }
  if (issues.length) throw new ConfigError('Invalid console options', issues);

  if (open && !warned) {
    warned = true;
    console.warn(
      '[@pytake/notify-console] dangerouslyAllowAnyoneForLocalDevelopment is on: anyone who can reach ' +
        'this server sees and acts on every alert. Pass authorize before it leaves your machine.',
    );
  }
  return {
    source: source as ConsoleSource,
    authorize: open ? async () => localDeveloper : options.authorize!,
    ...(options.onAction ? { onAction: options.onAction } : {}),
    basePath,
    allowedOrigins,
    onError: options.onError ?? ((error) => console.error('[@pytake/notify-console]', error)),
  };
}

/** The origin of a URL (`https://host:port`), or undefined when it is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
