import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT_URL } from '@kyc/test-support';

// Every manifest in deploy/kubernetes, checked against the Kubernetes API schemas
// (kubernetes-models: the OpenAPI schemas compiled to validators), then the facts
// operations rely on: probes, resources, non-root and read-only root filesystem.
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
type Container = {
  name: string;
  args?: string[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
};
type PodSpec = { containers: Container[]; securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } };

const dir = new URL('deploy/kubernetes/', REPO_ROOT_URL);
const manifests: Manifest[] = readdirSync(dir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(new URL(file, dir), 'utf8')).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as Manifest;
    }),
  );

/** The kubernetes-models class for an apiVersion and kind (core `v1` has no group directory). */
async function modelOf(m: Manifest): Promise<new (data: unknown) => { validate(): void }> {
  const module = (await import(/* @vite-ignore */ `kubernetes-models/${m.apiVersion}/${m.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const model = module[m.kind];
  if (!model) throw new Error(`no schema for ${m.apiVersion} ${m.kind}`);
  return model;
}

const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const podSpec = (m: Manifest | undefined) => (m?.spec as { template: { spec: PodSpec } } | undefined)?.template.spec;

describe('deploy/kubernetes', () => {
  it('every manifest is valid against the Kubernetes schemas', async () => {
    expect(manifests.length).toBeGreaterThanOrEqual(10);
    for (const manifest of manifests) {
      const Model = await modelOf(manifest);
      expect(() => new Model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('a schema violation is caught (the check can fail)', async () => {
    const deployment = structuredClone(find('Deployment', 'kyc-webhooks-ingest'))!;
    (deployment.spec as { replicas: unknown }).replicas = 'two';
    const Model = await modelOf(deployment);
    expect(() => new Model(deployment).validate()).toThrow(/replicas/);
  });

  it.each(['ingest', 'api', 'worker'])('%s: probes, resources, non-root, read-only root, a disruption budget', (role) => {
    const spec = podSpec(find('Deployment', `kyc-webhooks-${role}`));
    expect(spec).toBeDefined();
    const [container] = spec!.containers;
    expect(container!.args).toEqual([role]);
    expect(container!.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container!.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container!.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container!.resources?.limits).toMatchObject({ memory: expect.any(String) });
    expect(container!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(spec!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(find('PodDisruptionBudget', `kyc-webhooks-${role}`)).toBeDefined();
  });

  it.each(['ingest', 'api'])('%s scales on CPU', (role) => {
    const hpa = find('HorizontalPodAutoscaler', `kyc-webhooks-${role}`);
    expect(hpa?.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: `kyc-webhooks-${role}` },
      metrics: [{ type: 'Resource', resource: { name: 'cpu' } }],
    });
  });

  it('a Job runs the migrations', () => {
    const job = find('Job', 'kyc-webhooks-migrate');
    expect(podSpec(job)?.containers[0]?.args).toEqual(['migrate']);
  });
});
