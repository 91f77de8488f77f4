import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../shared/errors.ts';
import {
  Inputs,
  mapInputs,
  parseDuration,
  parseHttpUrl,
  splitList,
  type UrlRules,
} from '../../shared/inputs.ts';

const inputs = (values: Record<string, string>): Inputs => new Inputs(mapInputs(values));

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5m', 90_000],
    ['45', 45_000],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '10 minutes', 'm10', '10x', '-5s', '1h 30m'])('rejects %p', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('Inputs', () => {
  it('reads required and optional values', () => {
    const i = inputs({ a: 'x', b: '' });
    expect(i.required('a')).toBe('x');
    expect(() => i.required('b')).toThrow(new InputError("Input 'b' is required."));
    expect(i.optional('b')).toBeUndefined();
    expect(i.optional('b', 'dflt')).toBe('dflt');
  });

  it.each([
    ['true', true],
    ['True', true],
    ['FALSE', false],
  ])('bool accepts %s', (v, expected) =>
    expect(inputs({ f: v }).bool('f', !expected)).toBe(expected),
  );

  it('bool rejects anything else, naming the input', () => {
    expect(() => inputs({ f: 'yes' }).bool('f', true)).toThrow(
      `Input 'f' must be true or false (got "yes").`,
    );
  });

  it('int checks the range', () => {
    expect(inputs({ n: '3' }).int('n', { min: 1, max: 5, fallback: 2 })).toBe(3);
    expect(inputs({}).int('n', { min: 1, max: 5, fallback: 2 })).toBe(2);
    expect(() => inputs({ n: '9' }).int('n', { min: 1, max: 5 })).toThrow(
      `Input 'n' must be in 1..5 (got 9).`,
    );
    expect(() => inputs({ n: '2.5' }).int('n', { min: 1 })).toThrow(
      `Input 'n' must be a whole number in 1..∞ (got "2.5").`,
    );
  });

  it('duration parses with a default and bounds', () => {
    expect(inputs({}).duration('timeout', '10m')).toBe(600_000);
    expect(() => inputs({ timeout: 'soon' }).duration('timeout', '10m')).toThrow(
      `Input 'timeout' must be a duration such as 90s, 10m or 1h (got "soon").`,
    );
    expect(() => inputs({ timeout: '1s' }).duration('timeout', '10m', { minMs: 5000 })).toThrow(
      `Input 'timeout' must be at least 5s.`,
    );
  });

  it('oneOf lists the allowed values', () => {
    expect(inputs({ m: 'exec' }).oneOf('m', ['token', 'exec'] as const, 'token')).toBe('exec');
    expect(() => inputs({ m: 'magic' }).oneOf('m', ['token', 'exec'] as const, 'token')).toThrow(
      `Input 'm' must be one of 'token', 'exec' (got "magic").`,
    );
  });

  it('list splits lines and commas, skipping comments and blanks', () => {
    expect(splitList('a, b\n\n# note\nc\n')).toEqual(['a', 'b', 'c']);
    expect(inputs({ l: 'a,b\nc' }).list('l', { commas: false })).toEqual(['a,b', 'c']);
  });

  it('keyValues parses KEY=VALUE lines and rejects others', () => {
    expect([...inputs({ kv: 'A=1\nB = two=2\nC=' }).keyValues('kv')]).toEqual([
      ['A', '1'],
      ['B', 'two=2'],
      ['C', ''],
    ]);
    expect(() => inputs({ kv: 'oops' }).keyValues('kv')).toThrow(
      `Input 'kv' must hold KEY=VALUE lines (got "oops").`,
    );
  });

  it('exactlyOneOf and atMostOneOf name the inputs', () => {
    expect(inputs({ a: '1' }).exactlyOneOf('a', 'b')).toBe('a');
    expect(() => inputs({}).exactlyOneOf('a', 'b')).toThrow(`Set one of the inputs 'a', 'b'.`);
    expect(() => inputs({ a: '1', b: '2' }).exactlyOneOf('a', 'b')).toThrow(
      `Inputs 'a' and 'b' cannot be used together; set only one of 'a', 'b'.`,
    );
    expect(inputs({}).atMostOneOf('a', 'b')).toBeUndefined();
    expect(() => inputs({ a: '1', b: '2' }).atMostOneOf('a', 'b')).toThrow(
      `Inputs 'a' and 'b' cannot be used together.`,
    );
  });
});

describe('parseHttpUrl: the one URL input parser', () => {
  it.each([
    ['http anywhere by default', 'http://kfp.example.com/pipeline', {}],
    ['https', 'https://kfp.example.com', {}],
    ['http on loopback with loopbackHttp', 'http://127.0.0.2:8080', { loopbackHttp: true }],
    ['a query when not plain', 'https://x.example/?a=1', {}],
  ] as [string, string, UrlRules][])('accepts %s', (_name, value, rules) => {
    expect(parseHttpUrl('u', value, rules).toString()).toBe(new URL(value).toString());
  });
  it.each([
    [
      'not a URL',
      'kfp.example.com',
      {},
      `Input 'u' must be an http(s) URL (got "kfp.example.com").`,
    ],
    [
      'another scheme',
      'javascript:alert(1)',
      {},
      `Input 'u' must be an http(s) URL (got "javascript:alert(1)").`,
    ],
    [
      'its own wording',
      'ftp://x',
      { must: 'be the KFP API' },
      `Input 'u' must be the KFP API (got "ftp://x").`,
    ],
    [
      'http off loopback',
      'http://x.example',
      { loopbackHttp: true },
      `Input 'u': http://x.example must use https (plain http only on loopback).`,
    ],
    [
      'credentials',
      'https://a:b@x.example',
      { credentials: "use 'token'" },
      `Input 'u' must not carry credentials: use 'token'.`,
    ],
    [
      'a fragment when plain',
      'https://x.example/#f',
      { plain: true },
      `Input 'u' must not have a query or fragment (got "https://x.example/#…").`,
    ],
    // Tokens ride in user info and queries: a non-secret URL's error still never quotes them.
    [
      'http off loopback with credentials',
      'http://bot:tok3n@x.example/api',
      { loopbackHttp: true },
      `Input 'u': http://***@x.example/api must use https (plain http only on loopback).`,
    ],
    [
      'another scheme with a token in the query',
      'ftp://x.example/p?sig=tok3n#frag',
      {},
      `Input 'u' must be an http(s) URL (got "ftp://x.example/p?…#…").`,
    ],
    [
      'a query when plain',
      'https://x.example/a?access_token=tok3n',
      { plain: true },
      `Input 'u' must not have a query or fragment (got "https://x.example/a?…").`,
    ],
    [
      'a quote in a link',
      'https://x.example/"onclick',
      { linkSafe: true },
      `Input 'u' must be an http(s) URL (got "https://x.example/"onclick").`,
    ],
  ] as [string, string, UrlRules, string][])('refuses %s', (_name, value, rules, message) => {
    expect(() => parseHttpUrl('u', value, rules)).toThrow(new InputError(message));
  });
  // A webhook URL is the credential: every refusal names the input and the rule, quoting nothing.
  const SECRET = 's3cretPathPart';
  it.each([
    [
      'not a URL',
      `hooks.example.com/${SECRET}`,
      {},
      /^Input 'u' must be an http\(s\) URL; the value is not shown/,
    ],
    [
      'another scheme',
      `ftp://x.example/${SECRET}`,
      { must: 'be a webhook URL' },
      /^Input 'u' must be a webhook URL; the value/,
    ],
    [
      'http off loopback',
      `http://x.example/${SECRET}`,
      { loopbackHttp: true },
      /^Input 'u' must use https \(plain http only on loopback\); the value/,
    ],
    [
      'credentials',
      `https://a:${SECRET}@x.example/`,
      { credentials: 'the URL is the credential' },
      /^Input 'u' must not carry credentials: the URL is the credential\.$/,
    ],
    [
      'a query when plain',
      `https://x.example/?k=${SECRET}`,
      { plain: true },
      /^Input 'u' must not have a query or fragment; the value/,
    ],
    [
      'a quote in a link',
      `https://x.example/${SECRET}"x`,
      { linkSafe: true },
      /^Input 'u' must be an http\(s\) URL; the value/,
    ],
  ] as [string, string, UrlRules, RegExp][])(
    'with secret, refuses %s without quoting any of the value',
    (_name, value, rules, message) => {
      const error = (() => {
        try {
          parseHttpUrl('u', value, { ...rules, secret: true });
        } catch (e) {
          return e;
        }
        throw new Error('accepted');
      })();
      expect(error).toBeInstanceOf(InputError);
      const text = (error as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('x.example');
    },
  );
  it('with secret, accepts what it accepts without (the option changes the errors only)', () => {
    for (const value of ['https://hooks.example.com/services/T/B/x', 'http://127.0.0.1:9/a']) {
      expect(parseHttpUrl('u', value, { secret: true, loopbackHttp: true }).href).toBe(
        new URL(value).href,
      );
    }
  });
  it('Inputs.url returns the value as given, undefined when unset', () => {
    const i = inputs({ link: 'https://ci.example.com/run/1?x=y' });
    expect(i.url('link')).toBe('https://ci.example.com/run/1?x=y');
    expect(i.url('unset')).toBeUndefined();
  });
});
