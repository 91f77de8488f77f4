// Unit tests of test/harness/workflow-check.ts: each check passes a correct workflow and
// fails a broken one, so the repository-wide test (workflow-references.test.ts) can fail.
import { describe, expect, it } from '@jest/globals';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { repoRoot } from '../harness/runner.ts';
import {
  PLANNED_ACTIONS,
  actionSpecFromYaml,
  actionlint,
  checkWorkflow,
  designGaps,
  formatProblem,
  lintProblems,
  markdownWorkflows,
  plannedSpec,
  resolveActionRef,
  sourceName,
  wrapSnippet,
} from '../harness/workflow-check.ts';
import type { CheckContext } from '../harness/workflow-check.ts';

const DEPLOY_YML = `
name: deploy
inputs:
  manifests: { description: m, required: true }
  namespace: { description: n, required: false, default: '' }
  token: { description: t, required: true, default: x }
  smoke-url: { description: u, required: false, default: '' }
outputs:
  status: { description: s }
  endpoint: { description: e }
runs: { using: node24, main: ../dist/deploy/index.js }
`;

const REUSABLE = `
on:
  workflow_call:
    inputs:
      environment: { type: string, required: true }
      image: { type: string, required: false }
      manifests: { type: string, required: true, default: deploy }
    secrets:
      token: { required: true }
      extra: { required: false }
    outputs:
      endpoint: { value: '\${{ jobs.deploy.outputs.endpoint }}' }
jobs:
  deploy:
    runs-on: ubuntu-24.04
    outputs:
      endpoint: x
    steps:
      - run: 'true'
`;

/** Actions `deploy` (above), the real rollout-and-verify and the planned build-push-image. */
function context(files: Record<string, string> = {}): CheckContext {
  return {
    actions: new Map([
      ['deploy', actionSpecFromYaml(DEPLOY_YML)],
      [
        'rollout-and-verify',
        actionSpecFromYaml(
          readFileSync(path.join(repoRoot, 'rollout-and-verify', 'action.yml'), 'utf8'),
        ),
      ],
      ['build-push-image', plannedSpec(PLANNED_ACTIONS['build-push-image']!)],
    ]),
    readFile: (rel) => files[rel],
  };
}

const check = (text: string, files: Record<string, string> = {}, file = 'wf.yml'): string[] =>
  checkWorkflow({ file, text }, context(files)).map(formatProblem);

const job = (steps: string, extra = ''): string =>
  `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n${extra}    steps:\n${steps}`;

describe('with: of our actions', () => {
  it('accepts declared inputs, all required ones given, in every uses: form', () => {
    for (const uses of [
      'org/mlops-actions/deploy@v1',
      './deploy',
      './deploy/',
      'org/mlops-actions/deploy@main',
    ])
      expect(
        check(
          job(
            `      - uses: ${uses}\n        with:\n          manifests: k8s\n          namespace: ns\n`,
          ),
        ),
      ).toEqual([]);
  });

  it('fails an input the action.yml does not declare, with a suggestion', () => {
    expect(
      check(
        job(
          '      - uses: org/mlops-actions/deploy@v1\n        with:\n          manifests: k8s\n          namespaces: ns\n',
        ),
      ),
    ).toEqual([
      'wf.yml:9: with: `namespaces` is not an input of deploy/action.yml (did you mean `namespace`?)',
    ]);
  });

  it('fails a required input (required: true, no default) that is not given', () => {
    expect(check(job('      - uses: ./deploy\n        with:\n          namespace: ns\n'))).toEqual([
      'wf.yml:6: ./deploy: required input `manifests` is not given',
    ]);
    expect(check(job('      - uses: ./deploy\n'))).toEqual([
      'wf.yml:6: ./deploy: required input `manifests` is not given',
    ]);
  });

  it('fails a uses: of this repository that names no action', () => {
    expect(check(job('      - uses: org/mlops-actions/deplo@v1\n'))).toEqual([
      'wf.yml:6: org/mlops-actions/deplo@v1: there is no action `deplo` in this repository (did you mean `deploy`?)',
    ]);
    expect(check(job('      - uses: org/mlops-actions@v1\n'))[0]).toContain(
      'the repository root is no action',
    );
    expect(check(job('      - uses: ./scripts\n'))[0]).toContain('there is no action `scripts`');
    expect(check(job('      - uses: ../deploy\n'))[0]).toContain('outside the repository');
  });

  it('leaves other actions alone', () => {
    expect(
      check(job('      - uses: actions/checkout@v4\n        with:\n          anything: 1\n')),
    ).toEqual([]);
  });

  it('checks planned actions (no action.yml yet) against the design, and only by remote reference', () => {
    expect(
      check(
        job(
          '      - uses: org/mlops-actions/build-push-image@v1\n        with:\n          image: x\n          tags: type=sha\n',
        ),
      ),
    ).toEqual([]);
    expect(
      check(
        job(
          '      - uses: org/mlops-actions/build-push-image@v1\n        with:\n          image-name: x\n',
        ),
      ),
    ).toEqual([
      'wf.yml:8: with: `image-name` is not an input of build-push-image (planned; inputs from the design) (did you mean `image`?)',
    ]);
    expect(check(job('      - uses: ./build-push-image\n'))[0]).toContain(
      'is planned and has no folder yet',
    );
  });

  it('applies input rules: rollout-and-verify smoke-path needs smoke-url or wait-for-load-balancer', () => {
    const step = (w: string): string =>
      job(`      - uses: ./rollout-and-verify\n        with:\n          manifests: m\n${w}`);
    expect(check(step('          smoke-path: /healthz\n'))).toEqual([
      'wf.yml:9: ./rollout-and-verify: `smoke-path` needs `smoke-url` or `wait-for-load-balancer: true` (otherwise there is no URL to test)',
    ]);
    expect(check(step("          smoke-path: /healthz\n          smoke-url: ''\n"))).toHaveLength(
      1,
    );
    expect(
      check(step('          smoke-path: /healthz\n          wait-for-load-balancer: false\n')),
    ).toHaveLength(1);
    expect(check(step('          smoke-path: /healthz\n          smoke-url: https://x\n'))).toEqual(
      [],
    );
    expect(
      check(step('          smoke-path: /healthz\n          wait-for-load-balancer: true\n')),
    ).toEqual([]);
    expect(
      check(step('          smoke-path: /h\n          wait-for-load-balancer: ${{ inputs.lb }}\n')),
    ).toEqual([]);
  });
});

describe('steps.<id>.outputs', () => {
  const steps = (use: string): string =>
    job(
      `      - id: d\n        uses: ./deploy\n        with: { manifests: m }\n      - run: echo "${use}"\n`,
    );

  it('accepts an earlier step and a declared output (also in if: and bracket syntax)', () => {
    expect(check(steps('${{ steps.d.outputs.status }}'))).toEqual([]);
    expect(check(steps("${{ steps.d.outputs['endpoint'] }} ${{ steps.d.outcome }}"))).toEqual([]);
    expect(
      check(
        job(
          `      - id: d\n        uses: ./deploy\n        with: { manifests: m }\n      - if: steps.d.outputs.status == 'x'\n        run: 'true'\n`,
        ),
      ),
    ).toEqual([]);
  });

  it('fails a step id that does not exist', () => {
    expect(check(steps('${{ steps.e.outputs.status }}'))).toEqual([
      'wf.yml:9: steps.e.outputs.status: no step has `id: e` in job `a` (it has: d)',
    ]);
    expect(check(job('      - run: echo ${{ steps.nope.outputs.x }}\n'))[0]).toContain(
      'no step has `id: nope` in job `a` (no step of it has an `id:`)',
    );
  });

  it('fails a step that runs later or is the step itself', () => {
    const text = job(
      `      - run: echo \${{ steps.d.outputs.status }}\n      - id: d\n        uses: ./deploy\n        with:\n          manifests: \${{ steps.d.outputs.status }}\n`,
    );
    expect(check(text)).toEqual([
      'wf.yml:6: steps.d.outputs.status: step `d` runs later, so its outputs are not set yet',
      'wf.yml:10: steps.d.outputs.status: step `d` runs as this step, so its outputs are not set yet',
    ]);
  });

  it('fails an output our action does not declare; other actions are not checked', () => {
    expect(check(steps('${{ steps.d.outputs.state }}'))).toEqual([
      'wf.yml:9: steps.d.outputs.state: deploy has no output `state` (did you mean `status`?)',
    ]);
    expect(
      check(
        job(
          '      - id: c\n        uses: actions/checkout@v4\n      - run: echo ${{ steps.c.outputs.whatever }}\n',
        ),
      ),
    ).toEqual([]);
  });

  it('counts lines inside a run: block and ignores string literals', () => {
    const text = job(
      "      - run: |\n          echo one\n          echo ${{ steps.x.outputs.y }}\n      - run: echo ${{ format('steps.q.outputs.r') }}\n",
    );
    expect(check(text)).toEqual([
      'wf.yml:8: steps.x.outputs.y: no step has `id: x` in job `a` (no step of it has an `id:`)',
    ]);
  });

  it('lets job outputs name any step of the job', () => {
    const extra =
      '    outputs:\n      s: ${{ steps.d.outputs.status }}\n      t: ${{ steps.z.outputs.status }}\n';
    expect(
      check(job('      - id: d\n        uses: ./deploy\n        with: { manifests: m }\n', extra)),
    ).toEqual(['wf.yml:7: steps.z.outputs.status: no step has `id: z` in job `a` (it has: d)']);
  });
});

describe('needs.<job>.outputs', () => {
  const wf = (needs: string, ref: string): string => `on: push
jobs:
  build:
    runs-on: ubuntu-24.04
    outputs:
      image-ref: x
    steps:
      - run: 'true'
  deploy:
${needs}    runs-on: ubuntu-24.04
    steps:
      - run: echo "\${{ ${ref} }}"
`;

  it('accepts a needed job that declares the output', () => {
    expect(check(wf('    needs: build\n', 'needs.build.outputs.image-ref'))).toEqual([]);
    expect(check(wf('    needs: [build]\n', 'needs.build.result'))).toEqual([]);
  });

  it('fails a job that is not in needs:', () => {
    expect(check(wf('', 'needs.build.outputs.image-ref'))).toEqual([
      'wf.yml:12: needs.build.outputs.image-ref: job `deploy` does not list `build` in `needs:` (it has no `needs:`)',
    ]);
  });

  it('fails an output the needed job does not declare', () => {
    expect(check(wf('    needs: build\n', 'needs.build.outputs.digest'))).toEqual([
      'wf.yml:13: needs.build.outputs.digest: job `build` declares no output `digest` (it has: image-ref)',
    ]);
  });

  it('fails a needed job that does not exist', () => {
    expect(check(wf('    needs: [build, test]\n', 'needs.test.outputs.x'))).toEqual([
      'wf.yml:13: needs.test.outputs.x: there is no job `test` in this workflow',
    ]);
  });

  it('takes the outputs of a reusable workflow job from its on.workflow_call.outputs', () => {
    const text = `on: push
jobs:
  d:
    uses: ./.github/workflows/r.yml
    with: { environment: e }
    secrets: inherit
  after:
    needs: d
    runs-on: ubuntu-24.04
    steps:
      - run: echo "\${{ needs.d.outputs.endpoint }} \${{ needs.d.outputs.url }}"
`;
    expect(check(text, { '.github/workflows/r.yml': REUSABLE })).toEqual([
      'wf.yml:11: needs.d.outputs.url: job `d` declares no output `url` (it has: endpoint)',
    ]);
  });

  it('checks jobs.<id>.outputs in on.workflow_call.outputs', () => {
    expect(check(REUSABLE)).toEqual([]);
    expect(
      check(REUSABLE.replace('jobs.deploy.outputs.endpoint', 'jobs.deploy.outputs.url')),
    ).toEqual([
      'wf.yml:12: jobs.deploy.outputs.url: job `deploy` declares no output `url` (it has: endpoint)',
    ]);
  });
});

describe('reusable workflow callers', () => {
  const caller = (uses: string, body: string): string =>
    `on: push\njobs:\n  d:\n    uses: ${uses}\n${body}`;
  const files = { '.github/workflows/r.yml': REUSABLE, 'workflows-examples/r.yml': REUSABLE };

  it('accepts declared inputs and secrets with every required one', () => {
    const ok = '    with:\n      environment: e\n      image: i\n    secrets:\n      token: t\n';
    for (const uses of [
      './.github/workflows/r.yml',
      'org/mlops-actions/.github/workflows/r.yml@v1',
      './workflows-examples/r.yml',
    ])
      expect(check(caller(uses, ok), files)).toEqual([]);
    expect(
      check(
        caller('./.github/workflows/r.yml', '    with: { environment: e }\n    secrets: inherit\n'),
        files,
      ),
    ).toEqual([]);
  });

  it('fails an undeclared input or secret, and a missing required one', () => {
    const bad = '    with:\n      enviroment: e\n    secrets:\n      tokens: t\n';
    expect(check(caller('./.github/workflows/r.yml', bad), files)).toEqual([
      'wf.yml:6: jobs.d.with: .github/workflows/r.yml has no input `enviroment` (did you mean `environment`?)',
      'wf.yml:4: jobs.d: required input `environment` of .github/workflows/r.yml is not given',
      'wf.yml:8: jobs.d.secrets: .github/workflows/r.yml has no secret `tokens` (did you mean `token`?)',
      'wf.yml:4: jobs.d: required secret `token` of .github/workflows/r.yml is not passed',
    ]);
  });

  it('fails a literal value of the wrong type for a boolean or number input; expressions pass', () => {
    const typed = {
      '.github/workflows/t.yml': `
on:
  workflow_call:
    inputs:
      flag: { type: boolean, default: false }
      count: { type: number, default: 1 }
      name: { type: string, default: x }
jobs:
  a: { runs-on: ubuntu-24.04, steps: [{ run: 'true' }] }
`,
    };
    const ok = '    with:\n      flag: true\n      count: 3\n      name: n\n';
    expect(check(caller('./.github/workflows/t.yml', ok), typed)).toEqual([]);
    // A string input takes any scalar (GitHub turns it into text).
    expect(
      check(caller('./.github/workflows/t.yml', '    with:\n      name: 3.12\n'), typed),
    ).toEqual([]);
    const exprs =
      "    with:\n      flag: ${{ github.event_name == 'push' }}\n      count: ${{ 1 }}\n      name: ${{ github.ref }}\n";
    expect(check(caller('./.github/workflows/t.yml', exprs), typed)).toEqual([]);
    const bad = "    with:\n      flag: 'true'\n      count: three\n      name: [a]\n";
    expect(check(caller('./.github/workflows/t.yml', bad), typed)).toEqual([
      'wf.yml:6: jobs.d.with.flag: .github/workflows/t.yml declares it `type: boolean`, given a string',
      'wf.yml:7: jobs.d.with.count: .github/workflows/t.yml declares it `type: number`, given a string',
      'wf.yml:8: jobs.d.with.name: .github/workflows/t.yml declares it `type: string`, given a list',
    ]);
  });

  it('finds a workflow an example caller names in .github/workflows/ beside it (copied together)', () => {
    const only = { 'workflows-examples/r.yml': REUSABLE };
    const text = caller('./.github/workflows/r.yml', '    with: { image: i }\n');
    expect(
      checkWorkflow({ file: 'workflows-examples/c.yml', text }, context(only)).map(formatProblem),
    ).toEqual([
      'workflows-examples/c.yml:4: jobs.d: required input `environment` of workflows-examples/r.yml is not given',
      'workflows-examples/c.yml:4: jobs.d: required secret `token` of workflows-examples/r.yml is not passed',
    ]);
    // The example beside it wins over this repository's own workflow of the same name.
    const both = { ...only, '.github/workflows/r.yml': 'on: push\njobs: {}\n' };
    expect(
      checkWorkflow({ file: 'workflows-examples/c.yml', text }, context(both)).map(formatProblem),
    ).toEqual([
      'workflows-examples/c.yml:4: jobs.d: required input `environment` of workflows-examples/r.yml is not given',
      'workflows-examples/c.yml:4: jobs.d: required secret `token` of workflows-examples/r.yml is not passed',
    ]);
    // Outside workflows-examples/ the path must exist as written.
    expect(check(text, only)).toEqual([
      'wf.yml:4: jobs.d.uses: ./.github/workflows/r.yml: no such workflow in this repository (looked for .github/workflows/r.yml)',
    ]);
  });

  it('fails a reference to a missing or non-reusable workflow of this repository', () => {
    expect(check(caller('org/mlops-actions/.github/workflows/x.yml@v1', ''), files)[0]).toContain(
      'no such workflow in this repository',
    );
    expect(
      check(caller('./.github/workflows/ci.yml', ''), {
        '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      }),
    ).toEqual([
      'wf.yml:4: jobs.d.uses: .github/workflows/ci.yml is not a reusable workflow (no `on: workflow_call`)',
    ]);
    expect(check(caller('other/repo/.github/workflows/x.yml@v1', '    with: { a: 1 }\n'))).toEqual(
      [],
    );
  });
});

describe('README blocks', () => {
  const md = [
    '# x', //                                        1
    '```yaml', //                                    2
    '  - uses: ./deploy', //                         3
    '    with:', //                                  4
    '      manifest: k8s', //                        5
    '```', //                                        6
    '```sh', //                                      7
    'cat <<EOF', //                                  8
    '```yaml', //                                    9  (inside the sh block: not a fence)
    '```', //                                        10
    '````yaml', //                                   11
    'permissions: { contents: read }', //            12
    'steps:', //                                     13
    '  - run: echo ${{ steps.x.outputs.y }}', //     14
    '````', //                                       15
    '```yaml', //                                    16
    'apiVersion: v1', //                             17
    'kind: Service', //                              18
    '```', //                                        19
    '```yml', //                                     20
    'jobs:', //                                      21
    '  a:', //                                       22
    '    runs-on: ubuntu-24.04', //                  23
    '    steps: [{ run: x }]', //                    24
    '```', //                                        25
  ].join('\n');

  it('finds yaml blocks that are steps, jobs or workflows, and skips other YAML', () => {
    const sources = markdownWorkflows('docs/README.md', md);
    expect(sources.map(sourceName)).toEqual([
      'docs/README.md:2',
      'docs/README.md:11',
      'docs/README.md:20',
    ]);
    expect(sources.map((s) => s.block!.header)).toEqual([5, 4, 1]);
  });

  it("reports problems at the README's own lines", () => {
    const problems = markdownWorkflows('docs/README.md', md).flatMap((s) =>
      checkWorkflow(s, context()).map(formatProblem),
    );
    expect(problems).toEqual([
      'docs/README.md:5 (```yaml block at line 2): with: `manifest` is not an input of deploy/action.yml (did you mean `manifests`?)',
      'docs/README.md:3 (```yaml block at line 2): ./deploy: required input `manifests` is not given',
      'docs/README.md:14 (```yaml block at line 11): steps.x.outputs.y: no step has `id: x` in job `example` (no step of it has an `id:`)',
    ]);
  });

  it('wraps a job fragment that sets runs-on without adding one', () => {
    expect(wrapSnippet('runs-on: x\nsteps:\n  - run: y\n')).toEqual({
      text: 'on: push\njobs:\n  example:\n    runs-on: x\n    steps:\n      - run: y\n',
      header: 3,
    });
    expect(wrapSnippet('- name: not a step\n')).toBeUndefined();
  });

  it('reports YAML errors', () => {
    const [src] = markdownWorkflows('R.md', '```yaml\n- run: x\n  - bad: [\n```\n');
    expect(checkWorkflow(src!, context()).map(formatProblem)[0]).toMatch(
      /^R\.md:\d+ \(```yaml block at line 1\): YAML: /,
    );
  });
});

describe('actionlint', () => {
  it('reports problems, at the lines of the file and of README blocks', () => {
    const broken = path.join('test', 'fixtures', 'workflows', 'broken.yml');
    const block = markdownWorkflows('R.md', '\n```yaml\n- run: echo ${{ matrix.nope }}\n```\n')[0]!;
    const results = actionlint(
      [
        { name: broken, text: readFileSync(path.join(repoRoot, broken), 'utf8') },
        { name: 'block', text: block.text },
        {
          name: 'fine',
          text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo\n',
        },
      ],
      repoRoot,
    );
    expect(results.get(broken)!.map((r) => `${r.line}: ${r.message}`)).toEqual(
      expect.arrayContaining([expect.stringContaining('7: property "nope" is not defined')]),
    );
    expect(lintProblems(block, results.get('block')!).map(formatProblem)).toEqual([
      expect.stringMatching(
        /^R\.md:3 \(```yaml block at line 2\): actionlint: property "nope" is not defined/,
      ),
    ]);
    expect(results.get('fine')).toEqual([]);
  });
});

describe('planned actions', () => {
  it('reports designed names an action.yml that landed does not declare', () => {
    const ctx = context();
    expect(designGaps(ctx)).toEqual([]);
    ctx.actions.set(
      'build-push-image',
      actionSpecFromYaml('inputs:\n  image: {}\noutputs:\n  digest: {}\n'),
    );
    expect(designGaps(ctx)).toEqual(
      expect.arrayContaining([
        'build-push-image: input tags',
        'build-push-image: output image-ref',
      ]),
    );
    expect(resolveActionRef('./build-push-image', ctx)).toEqual({ action: 'build-push-image' });
  });
});
