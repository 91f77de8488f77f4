/** The comment's content: metrics tables and deltas, truncation, append sections, inputs. */
import { describe, expect, it } from '@jest/globals';
import { mapInputs, Inputs } from '../../shared/inputs.ts';
import {
  defaultKey,
  getInputs,
  type CommentInputs,
} from '../../actions/pr-deploy-comment/inputs.ts';
import {
  formatDelta,
  metricsTable,
  parseMetrics,
} from '../../actions/pr-deploy-comment/metrics.ts';
import {
  appendSection,
  commentBody,
  GITHUB_COMMENT_LIMIT,
  renderSection,
  truncateMarkdown,
} from '../../actions/pr-deploy-comment/render.ts';
import { resolvePullRequest } from '../../actions/pr-deploy-comment/pull-request.ts';

const NOW = new Date('2026-11-28T12:34:56Z');

function inputs(values: Record<string, string>): CommentInputs {
  return getInputs(new Inputs(mapInputs({ token: 't', status: 'success', ...values })), {
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_WORKSPACE: '/nonexistent',
  });
}

describe('metrics', () => {
  it('renders JSON and YAML, nested names dotted, without a baseline', () => {
    const json = parseMetrics(
      '{"accuracy": 0.9412345, "eval": {"f1": 0.88, "loss": 0.1}, "samples": 1200}',
      'm',
    );
    expect(metricsTable(json)).toBe(
      [
        '| Metric | Value |',
        '| --- | --- |',
        '| `accuracy` | 0.9412 |',
        '| `eval.f1` | 0.88 |',
        '| `eval.loss` | 0.1 |',
        '| `samples` | 1200 |',
      ].join('\n'),
    );
    expect(parseMetrics('accuracy: 0.9\nmodel: resnet|50\n', 'm')).toEqual([
      { name: 'accuracy', value: 0.9 },
      { name: 'model', value: 'resnet|50' },
    ]);
  });

  it('adds Baseline and Δ columns: arrows for direction, new and removed metrics', () => {
    const current = parseMetrics(
      '{"accuracy": 0.95, "loss": 0.2, "latency_ms": 40, "new_metric": 1, "model": "b"}',
      'm',
    );
    const baseline = parseMetrics(
      '{"accuracy": 0.9, "loss": 0.25, "latency_ms": 40, "old_metric": 3, "model": "a"}',
      'b',
    );
    expect(metricsTable(current, baseline).split('\n')).toEqual([
      '| Metric | Value | Baseline | Δ |',
      '| --- | --- | --- | --- |',
      '| `accuracy` | 0.95 | 0.9 | ↑ +0.05 (+5.6%) |',
      '| `loss` | 0.2 | 0.25 | ↓ −0.05 (−20%) |',
      '| `latency_ms` | 40 | 40 | = 0 |',
      '| `new_metric` | 1 | — | new |',
      '| `model` | `b` | `a` | changed |',
      '| `old_metric` | — | 3 | removed |',
    ]);
    expect(formatDelta(1, 0)).toBe('↑ +1');
    // Colour-neutral: no judging emoji in the table.
    expect(metricsTable(current, baseline)).not.toMatch(/[🟢🔴✅❌]/u);
  });

  it('metric values are literal text, escaped as the names are: no mention, image, HTML or comment goes live', () => {
    const hostile = parseMetrics(
      JSON.stringify({
        '@octo-org/admins': '@octo-org/admins please approve',
        tracker: '![](https://tracker.example/p.gif?pr=7)',
        html: '<details open><summary>x</summary>hidden</details>',
        marker: '<!-- mlops-actions/pr-deploy-comment key="deploy/staging" -->',
        tick: 'a`b',
        list: ['<img src=x>'],
      }),
      'm',
    );
    const baseline = parseMetrics('{"tracker": "<b>old</b>"}', 'b');
    for (const table of [metricsTable(hostile), metricsTable(hostile, baseline)]) {
      const cells = table
        .split('\n')
        .slice(2)
        .flatMap((row) => row.slice(2, -2).split(' | '));
      // Every cell is a number, an em dash, a delta word or one code span (rendered as text).
      for (const c of cells) expect(c).toMatch(/^(`[^`]*`|—|new|changed|removed|=.*|[0-9.]+)$/);
    }
    expect(metricsTable(hostile)).toContain("| `tick` | `a'b` |");
    expect(metricsTable(hostile, baseline)).toContain(
      '| `tracker` | `![](https://tracker.example/p.gif?pr=7)` | `<b>old</b>` | changed |',
    );
  });

  it('rejects what is not a mapping', () => {
    expect(() => parseMetrics('[1, 2]', "Input 'metrics'")).toThrow(
      /must be a JSON or YAML mapping.*a list/,
    );
    expect(() => parseMetrics('0.9', "Input 'metrics'")).toThrow(/must be a JSON or YAML mapping/);
    expect(() => parseMetrics('{}', "Input 'metrics'")).toThrow(/holds no metrics/);
  });
});

describe('rendering', () => {
  it('a compact comment: status line, facts, full digest in details, metrics', () => {
    const section = renderSection(
      inputs({
        environment: 'production',
        endpoint: 'https://m.example.com/v1',
        image: 'ghcr.io/o/model:v2',
        digest: `sha256:${'b'.repeat(64)}`,
        metrics: '{"accuracy": 0.95}',
        'metrics-baseline': '{"accuracy": 0.9}',
        body: 'Deployed by the pipeline.',
      }),
      {
        now: NOW,
        commitSha: 'abcdef1234567890',
        repositoryUrl: 'https://github.com/o/r',
        runUrl: 'https://github.com/o/r/actions/runs/5',
        runLabel: 'deploy #3',
      },
    ).section;
    expect(section).toContain('### ✅ Deployed to `production`');
    expect(section).toContain('| Endpoint | <https://m.example.com/v1> |');
    expect(section).toContain(`| Image | \`ghcr.io/o/model:v2\` @ \`sha256:${'b'.repeat(12)}…\` |`);
    expect(section).toContain(
      '| Commit | [`abcdef1`](https://github.com/o/r/commit/abcdef1234567890) |',
    );
    expect(section).toContain('| Run | [deploy #3](https://github.com/o/r/actions/runs/5) |');
    expect(section).toContain('| Updated | 2026-11-28 12:34 UTC |');
    expect(section).toContain(`<details><summary>Full image reference</summary>`);
    expect(section).toContain(`ghcr.io/o/model:v2@sha256:${'b'.repeat(64)}`);
    expect(section).toContain('#### Metrics (Δ against baseline)');
    expect(section.endsWith('Deployed by the pipeline.')).toBe(true);
  });

  it('stays under 65,536 characters: the body is cut with a note, the fence closed', () => {
    const body = '```\n' + 'x'.repeat(100).concat('\n').repeat(1000) + '```';
    const rendered = renderSection(inputs({ body }), {
      now: NOW,
      runUrl: 'https://github.com/o/r/actions/runs/5',
    });
    const comment = commentBody('deploy/staging', rendered.section);
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(rendered.truncated).toEqual(['body']);
    expect(rendered.section).toContain(
      "Body truncated: the comment would exceed GitHub's 65,536-character limit",
    );
    expect(rendered.section).toContain('[the run](https://github.com/o/r/actions/runs/5)');
    const fences = rendered.section.match(/^```/gm) ?? [];
    expect(fences.length % 2).toBe(0);
    expect(truncateMarkdown('short', 100, 'n')).toBe('short');
    // A parenthesis in a link target would end the Markdown link early.
    const odd = renderSection(inputs({}), { now: NOW, runUrl: 'https://ci.example.com/run(5)' });
    expect(odd.section).toContain('(https://ci.example.com/run%285%29)');
  });

  it('append keeps sections in order and drops the oldest past the limit', () => {
    let body = appendSection(undefined, 'k', 'first');
    body = appendSection(body, 'k', 'second');
    expect(body.indexOf('first')).toBeLessThan(body.indexOf('second'));
    const big = 'y'.repeat(40_000);
    body = appendSection(body, 'k', big);
    body = appendSection(body, 'k', big);
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).not.toContain('first');
    expect(body).toMatch(/older update\(s\) removed/);
    expect(body.startsWith('<!-- mlops-actions/pr-deploy-comment key="k" -->')).toBe(true);
  });
});

describe('inputs and pull-request choice', () => {
  it('default key: workflow and environment, cleaned to what a marker may hold', () => {
    expect(inputs({ environment: 'production' }).key).toBe('deploy/production');
    expect(defaultKey('Build & Deploy -->', 'pr-42')).toBe('Build - Deploy ---/pr-42');
    expect(defaultKey(undefined, undefined)).toBe('deploy');
  });

  it('on push, prefers the open PR whose head is this branch', async () => {
    const api = {
      pullRequestsOfCommit: async () => [
        { number: 1, state: 'closed', headRef: 'feature', headSha: 'abc1234' },
        { number: 2, state: 'open', headRef: 'x', headSha: 'abc1234' },
        { number: 3, state: 'open', headRef: 'feature', headSha: 'def5678' },
      ],
    };
    const choice = await resolvePullRequest(
      undefined,
      { name: 'push', isPullRequest: false },
      'abc1234',
      'refs/heads/feature',
      api,
    );
    expect(choice).toMatchObject({ found: true, number: 3 });
  });
});
