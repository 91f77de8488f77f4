/** The operations of rollout-and-verify's phases that are the same for every kind. */
import { applyManifests } from './apply.ts';
import { followAll } from './follow.ts';
import { loadManifests } from './manifests.ts';
import type { RolloutOps } from './pipeline.ts';
import { diagnose } from './pods.ts';
import { verifyEndpoint } from './verify.ts';

export const rolloutOps: RolloutOps = {
  load: (inputs, ns) => loadManifests(inputs.manifests, inputs.workspace, ns),
  apply: (manifests, o, ctx) => applyManifests(manifests, o, ctx),
  // Each object is followed by its kind's handler; one failure stops them all.
  follow: (list, deadline, ctx) =>
    followAll(list, deadline, ctx, (w, o) => ctx.handlers.handlerFor(w.kind).follow(w, o)),
  diagnose: (problem, ctx) => diagnose(ctx.client, problem),
  verify: (manifests, endpoint, deadline, inputs, ctx) =>
    verifyEndpoint(manifests, endpoint, deadline.at, inputs, {
      ...ctx,
      smokeRequestFor: (m) => {
        const request = ctx.handlers.handlerFor(m.kind).smokeRequest;
        return request ? (smoke) => request(m, smoke) : undefined;
      },
    }),
};
