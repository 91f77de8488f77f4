/** model-registry's summary: table cells escaped once (by markdownTable), not twice. */
import { describe, expect, it } from '@jest/globals';
import { getInputs } from '../../actions/model-registry/inputs.ts';
import { registryReport } from '../../actions/model-registry/report.ts';
import { registrySummary } from '../../actions/model-registry/summary.ts';
import { mapInputs } from '../../shared/inputs.ts';

describe('model-registry summary', () => {
  it("a tag value with '|' is escaped once in the tags table", () => {
    const inputs = getInputs(
      mapInputs({
        'tracking-uri': 'https://mlflow.example.com',
        'model-name': 'iris',
        operation: 'promote',
        version: '4',
        'promote-to': 'champion',
      }),
      { RUNNER_TEMP: '/tmp/rt' },
    );
    const report = registryReport({ inputs });
    report.version = { version: '4', source: 's3://models/iris/4', runId: '', status: 'READY' };
    report.alias = { name: 'champion', before: '2', after: '4' };
    report.tags = { 'deployed.run-url': 'https://ghe.example.com/a|b/actions/runs/9' };
    const md = registrySummary(report);
    expect(md).toContain('### ✅ model-registry: promote `iris`');
    expect(md).toContain('| `deployed.run-url` | https://ghe.example.com/a\\|b/actions/runs/9 |');
    expect(md).not.toContain('\\\\|');
  });
});
