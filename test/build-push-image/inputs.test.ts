import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../shared/errors.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import {
  detectRegistryType,
  getInputs,
  isLoopbackRegistry,
  registryOf,
} from '../../actions/build-push-image/inputs.ts';

const parse = (values: Record<string, string>) =>
  getInputs(new Inputs(mapInputs({ image: 'ghcr.io/org/app', ...values })));

describe('registry type from the host', () => {
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', 'ecr'],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'ecr'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'ecr'],
    ['europe-west4-docker.pkg.dev', 'gar'],
    ['us-docker.pkg.dev', 'gar'],
    ['gcr.io', 'gar'],
    ['eu.gcr.io', 'gar'],
    ['ghcr.io', 'ghcr'],
    ['docker.io', 'generic'],
    ['registry.example.com:5000', 'generic'],
    ['127.0.0.1:5000', 'generic'],
    ['evil.amazonaws.com', 'generic'],
    ['mlregistry.azurecr.io', 'acr'],
    ['mlregistry.azurecr.cn', 'acr'],
    ['mlregistry.azurecr.us', 'acr'],
    ['azurecr.io.evil.com', 'generic'],
    ['pkg.dev.evil.com', 'generic'],
  ])('%s → %s', (host, type) => {
    expect(detectRegistryType(host)).toBe(type);
  });

  it.each([
    ['ghcr.io/org/app', 'ghcr.io'],
    ['localhost:5000/app', 'localhost:5000'],
    ['localhost/app', 'localhost'],
    ['library/nginx', 'docker.io'],
    ['nginx', 'docker.io'],
  ])('registryOf(%s) = %s', (name, host) => {
    expect(registryOf(name)).toBe(host);
  });

  it.each([
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['128.0.0.1:5000', false],
    ['localhost.example.com', false],
    ['ghcr.io', false],
  ])('loopback %s: %s', (host, expected) => {
    expect(isLoopbackRegistry(host)).toBe(expected);
  });
});

describe('getInputs', () => {
  it('defaults', () => {
    const i = parse({});
    expect(i).toMatchObject({
      image: 'ghcr.io/org/app',
      registry: 'ghcr.io',
      builder: 'auto',
      context: '.',
      push: true,
      registryType: 'ghcr',
      cache: 'none',
      skipIfExists: false,
      scan: 'none',
      scanFailOn: [],
      insecure: false,
      timeoutMs: 3_600_000,
      scanVersion: '0.69.3',
    });
    expect(i.tagRules).toEqual([{ type: 'sha', long: false, prefix: 'sha-' }]);
  });

  it('parses build args, labels (values may hold = and start with -), platforms', () => {
    const i = parse({
      'build-args': 'A=1\nB=x=y\nC=--flag',
      labels: 'org.example/team=ml',
      platforms: 'linux/amd64, linux/arm64/v8',
      'registry-type': 'generic',
      username: 'u',
      password: 'p',
      'scan-fail-on': 'critical,HIGH',
    });
    expect(i.buildArgs).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['C', '--flag'],
    ]);
    expect(i.labels).toEqual([['org.example/team', 'ml']]);
    expect(i.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(i.registryType).toBe('generic');
    expect(i.scanFailOn).toEqual(['CRITICAL', 'HIGH']);
  });

  it.each<[string, Record<string, string>, string]>([
    ['no image', { image: '' }, "Input 'image' is required"],
    [
      'image with a tag',
      { image: 'ghcr.io/org/app:v1' },
      "Input 'image' must be a name without tag",
    ],
    [
      'image with a digest',
      { image: `ghcr.io/org/app@sha256:${'a'.repeat(64)}` },
      "Input 'image' must be a name",
    ],
    ['image upper case', { image: 'ghcr.io/Org/App' }, "Input 'image' is not a valid image name"],
    [
      'unknown builder',
      { builder: 'kaniko' },
      "Input 'builder' must be one of 'auto', 'buildx', 'docker', 'buildah'",
    ],
    ['unknown cache', { cache: 's3' }, "Input 'cache' must be one of"],
    ['bad build arg', { 'build-args': '--privileged' }, "Input 'build-args' must hold NAME=VALUE"],
    ['bad label', { labels: '=x' }, "Input 'labels' must hold KEY=VALUE"],
    ['bad platform', { platforms: 'amd64' }, "Input 'platforms'"],
    ['context as an option', { context: '--output=/' }, "Input 'context' must be a path"],
    ['target with spaces', { target: 'a b' }, "Input 'target'"],
    [
      'username without password',
      { username: 'u' },
      "Inputs 'username' and 'password' go together",
    ],
    ['bad severity', { 'scan-fail-on': 'SEVERE' }, "Input 'scan-fail-on' must list severities"],
    ['scan without push', { scan: 'trivy', push: 'false' }, "Input 'scan'"],
    ['bad scan version', { 'scan-version': 'latest' }, "Input 'scan-version'"],
    ['bad checksum', { 'scan-checksum': 'abc' }, "Input 'scan-checksum'"],
    ['bad tags', { tags: 'latest' }, "Input 'tags'"],
    ['bad bool', { push: 'yes' }, "Input 'push' must be true or false"],
    ['bad timeout', { timeout: 'soon' }, "Input 'timeout'"],
  ])('%s', (_name, values, message) => {
    expect(() => parse(values)).toThrow(InputError);
    expect(() => parse(values)).toThrow(message);
  });
});
