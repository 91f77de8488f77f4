/**
 * The Slack inputs: a bot token and a channel id (one living message per key, found again,
 * updated in place, later statuses as thread replies) or an incoming webhook URL (a new message
 * per status: webhooks cannot edit). The token and the webhook URL are secrets: never repeated
 * in an error message; wiring.ts masks them (slackSecrets) with the action's other secrets.
 */
import { InputError } from '../../shared/errors.ts';
import { Inputs, parseHttpUrl } from '../../shared/inputs.ts';

export type SlackTarget =
  | { kind: 'api'; token: string; channel: string; apiUrl: string }
  | { kind: 'webhook'; url: string };

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * Bot (xoxb-), user (xoxp-), app-level or legacy tokens: letters, digits and dashes; with token
 * rotation the access token carries an `xoxe.` prefix (`xoxe.xoxb-…`).
 */
const SLACK_TOKEN = /^(xoxe\.)?xox[abepr]-[A-Za-z0-9-]{1,250}$/;
/** A conversation id (public C…, private G…, direct D…); names change, ids do not. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;

/**
 * The secret parts of a webhook URL: the whole URL and its path (…/services/T…/B…/secret).
 * A part shorter than 8 characters is left out: a path `/` masked would star every slash of
 * the log (and the scrubber would garble every warning), and reveals nothing.
 */
export function webhookSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    const last = u.pathname.split('/').filter(Boolean).pop() ?? '';
    return [url, ...[u.pathname, last].filter((part) => part.length >= 8)];
  } catch {
    return [url];
  }
}

/**
 * Checks the webhook URL without ever echoing it (the URL is the credential): https, or plain
 * http to a loopback host (a local fake), as parseHttpUrl rules for every URL input.
 */
function webhookUrl(value: string): string {
  const name = 'slack-webhook-url';
  const url = parseHttpUrl(name, value, {
    secret: true,
    loopbackHttp: true,
    credentials: 'the webhook URL is itself the credential',
    must: 'be an incoming webhook URL (https://hooks.slack.com/services/…)',
  });
  // A fragment never reaches Slack: a URL with one is a copy-paste mistake.
  if (url.hash)
    throw new InputError(
      `Input '${name}' must not have a fragment (#…); the value is not shown because it is a secret.`,
    );
  return value;
}

function apiUrl(inputs: Inputs): string {
  const value = inputs.optional('slack-api-url') ?? DEFAULT_SLACK_API_URL;
  parseHttpUrl('slack-api-url', value, {
    loopbackHttp: true,
    plain: true,
    credentials: 'the token goes in slack-token',
    must: 'be the Slack Web API base URL, e.g. https://slack.com/api/',
  });
  return value.endsWith('/') ? value : `${value}/`;
}

/** What to mask and scrub for a Slack target: the token, or the webhook URL and its parts. */
export function slackSecrets(target: SlackTarget | undefined): string[] {
  if (!target) return [];
  return target.kind === 'api' ? [target.token] : webhookSecrets(target.url);
}

/** The Slack target, or undefined when no Slack input is set (no side effect: defineAction's inputs()). */
export function slackTarget(inputs: Inputs): SlackTarget | undefined {
  const token = inputs.optional('slack-token');
  const hook = inputs.optional('slack-webhook-url');
  const channel = inputs.optional('slack-channel');
  // The action's default is the public API: only another value is the user's choice.
  const apiUrlInput = inputs.optional('slack-api-url');
  const explicitApiUrl = apiUrlInput === DEFAULT_SLACK_API_URL ? undefined : apiUrlInput;
  if (token && hook) {
    throw new InputError(
      "Inputs 'slack-token' and 'slack-webhook-url' are both set: use one (the token with 'slack-channel' keeps one living message; a webhook posts a new message per status).",
    );
  }
  if (hook) {
    const url = webhookUrl(hook);
    if (channel !== undefined) {
      throw new InputError(
        "Input 'slack-channel' applies to 'slack-token' only: an incoming webhook posts to the channel it was created for.",
      );
    }
    if (explicitApiUrl !== undefined) {
      throw new InputError("Input 'slack-api-url' applies to 'slack-token' only.");
    }
    return { kind: 'webhook', url };
  }
  if (!token) {
    if (channel !== undefined || explicitApiUrl !== undefined) {
      throw new InputError(
        "Input 'slack-channel' (and 'slack-api-url') need 'slack-token': pass the bot token (xoxb-…) from a secret.",
      );
    }
    return undefined;
  }
  if (!SLACK_TOKEN.test(token)) {
    throw new InputError(
      "Input 'slack-token' must be a Slack token (a bot token starts with xoxb-); the value is not shown because it is a secret.",
    );
  }
  if (channel === undefined) {
    throw new InputError(
      "Input 'slack-token' needs 'slack-channel': the channel id (C…, from the channel's details), which the bot must be a member of.",
    );
  }
  if (!CHANNEL_ID.test(channel)) {
    throw new InputError(
      `Input 'slack-channel' must be a channel id such as C0123ABCDEF (the channel's details show it; names change, ids do not), got "${channel}".`,
    );
  }
  return { kind: 'api', token, channel, apiUrl: apiUrl(inputs) };
}
