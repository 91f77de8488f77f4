import { describe, expect, it } from '@jest/globals';
import { getInputs, parseYamlPath } from '../../actions/argocd-bump-image/inputs.ts';
import { InputError } from '../../shared/errors.ts';
import { mapInputs, Inputs } from '../../shared/inputs.ts';

const env = {
  GITHUB_REPOSITORY: 'octo-org/model-service',
  GITHUB_SERVER_URL: 'https://ghe.example.com',
};
const base = { files: 'apps/x.yaml', image: 'ghcr.io/o/m:v2', token: 't0ken' };

function parse(values: Record<string, string>, e: NodeJS.ProcessEnv = env) {
  return getInputs(new Inputs(mapInputs({ ...base, ...values })), e);
}

function errorOf(values: Record<string, string>): string {
  let caught: unknown;
  try {
    parse(values);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  return (caught as Error).message;
}

describe('argocd-bump-image inputs', () => {
  it('owner/repo resolves against GITHUB_SERVER_URL (GitHub Enterprise Server)', () => {
    const i = parse({ repository: 'octo-org/gitops' });
    expect(i.remote).toEqual({
      url: 'https://ghe.example.com/octo-org/gitops.git',
      origin: 'https://ghe.example.com',
      display: 'octo-org/gitops',
      github: { owner: 'octo-org', repo: 'gitops', apiUrl: 'https://ghe.example.com/api/v3' },
    });
    expect(parse({}).remote.display).toBe('octo-org/model-service');
    expect(i.imageName).toBe('ghcr.io/o/m');
    expect(i.maxRetries).toBe(20);
  });

  it('full URLs for other hosts; file:// needs no token', () => {
    expect(
      parse({ repository: 'https://git.example.com/team/config.git' }).remote.github,
    ).toBeUndefined();
    const f = parse({ repository: 'file:///srv/config.git', token: '' });
    expect(f.remote).toEqual({ url: 'file:///srv/config.git', display: 'file:///srv/config.git' });
  });

  it.each([
    [
      'an image without tag or digest',
      { image: 'ghcr.io/o/m' },
      "Input 'image' is not a valid image reference: it has neither a tag nor a digest",
    ],
    [
      'an upper-case image name',
      { image: 'ghcr.io/O/m:v1' },
      "Input 'image' is not a valid image reference",
    ],
    ['a bad digest', { image: 'ghcr.io/o/m@sha256:abc' }, 'its digest is not sha256:'],
    ['YAML injection in the tag', { image: 'ghcr.io/o/m:v1\nevil: true' }, 'whitespace'],
    ['a tag with a colon', { image: 'ghcr.io/o/m:v1:x' }, 'is not a valid'],
    [
      'image-name with a tag',
      { 'image-name': 'ghcr.io/o/m:v1' },
      "Input 'image-name' must be an image name",
    ],
    [
      'credentials in the URL',
      { repository: 'https://user:pw@git.example.com/a/b.git' },
      "Input 'repository' must not carry credentials",
    ],
    [
      // A token in the query is not quoted back.
      'a query in the clone URL',
      { repository: 'https://git.example.com/a/b.git?private_token=glpat-s3cr3t' },
      'Input \'repository\': a clone URL has no query or fragment (got "https://git.example.com/a/b.git?…")',
    ],
    [
      'plain http to a remote host',
      { repository: 'http://git.example.com/a/b.git' },
      "Input 'repository' must use https://",
    ],
    [
      'ssh',
      { repository: 'ssh://git.example.com/a/b.git' },
      "Input 'repository' must use https://",
    ],
    [
      'a branch that is an option',
      { branch: '--upload-pack=evil' },
      'Input \'branch\': "--upload-pack=evil" is not a valid branch name',
    ],
    ['a branch with ..', { branch: 'a..b' }, 'is not a valid branch name'],
    [
      'a file above the root',
      { files: '../../etc/passwd' },
      'Input \'files\': "../../etc/passwd" must be a path relative to the root',
    ],
    ['an absolute file', { files: '/etc/passwd' }, "Input 'files'"],
    ['no token for https', { token: '' }, "Input 'token' is required"],
    ['a bad mode', { mode: 'merge' }, "Input 'mode' must be one of 'push', 'pull-request'"],
    ['max-retries too large', { 'max-retries': '1000' }, "Input 'max-retries' must be in 0..100"],
    [
      'wait without server',
      { wait: 'true', application: 'a', 'argocd-token': 'x' },
      "Input 'argocd-server' is required",
    ],
    [
      'sync without application',
      { sync: 'true', 'argocd-server': 'argocd.example.com', 'argocd-token': 'x' },
      "Input 'application' is required",
    ],
    [
      'server without sync or wait',
      { 'argocd-server': 'argocd.example.com' },
      "Input 'argocd-server' is set but neither 'sync' nor 'wait'",
    ],
    [
      'plain http Argo CD',
      {
        wait: 'true',
        application: 'a',
        'argocd-token': 'x',
        'argocd-server': 'http://argocd.example.com',
      },
      "Input 'argocd-server' must use https://",
    ],
    [
      'pull-request with wait',
      {
        mode: 'pull-request',
        wait: 'true',
        application: 'a',
        'argocd-token': 'x',
        'argocd-server': 'argocd.example.com',
      },
      "Inputs 'sync' and 'wait' need mode: push",
    ],
    [
      'pull-request on another host',
      { mode: 'pull-request', repository: 'https://gitlab.example.com/a/b.git' },
      "Input 'mode': pull-request needs a repository on",
    ],
    ['a bad yaml-path', { 'yaml-path': 'image..tag' }, "Input 'yaml-path' must be a dotted path"],
    [
      'a bad author-email',
      { 'author-email': 'nobody' },
      "Input 'author-email' must be an e-mail address",
    ],
    ['a bad timeout', { timeout: 'soon' }, "Input 'timeout' must be a duration"],
  ])('refuses %s', (_name, values, message) => {
    expect(errorOf(values)).toContain(message);
  });

  it('yaml-path syntax', () => {
    expect(parseYamlPath('image.tag')).toEqual(['image', 'tag']);
    expect(parseYamlPath('images[0].tag')).toEqual(['images', 0, 'tag']);
    expect(parseYamlPath('a\\.b.c')).toEqual(['a.b', 'c']);
    expect(() => parseYamlPath('.a')).toThrow(InputError);
  });
});
