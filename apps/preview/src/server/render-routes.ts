import type { TenantConfig } from '@pytake/notify-core';
import { Hono } from 'hono';
import { ApiError } from './api-error.js';
import { findDigestFixture } from './digest-fixtures.js';
import { emailCompatibility } from './email-compat.js';
import { findFixture, listFixtures } from './fixtures.js';
import type { PreviewTemplates } from './preview-templates.js';
import { readJson } from './read-json.js';
import { type PreviewSubject, renderEmail, renderPreview } from './render-preview.js';

export interface RenderRoutesOptions {
  templates: PreviewTemplates;
  /** What a request body renders (its event, or the digest it names) and for which tenant. */
  tenantFor(body: unknown): { subject: PreviewSubject; tenant: TenantConfig };
}

/** The gallery's routes: `GET /api/fixtures[/:name]`, `POST /api/render` and `POST /api/compat`. */
export function renderRoutes({ templates, tenantFor }: RenderRoutesOptions): Hono {
  const app = new Hono();
  app.get('/api/fixtures', (c) => c.json(listFixtures()));
  app.get('/api/fixtures/:name', (c) => {
    const fixture = findFixture(c.req.param('name')) ?? findDigestFixture(c.req.param('name'));
    if (!fixture) {
      throw new ApiError(
        404,
        'not_found',
        `No fixture named "${c.req.param('name')}"; GET /api/fixtures lists them`,
      );
    }
    return c.json(fixture);
  });

  app.post('/api/render', async (c) => {
    const { subject, tenant } = tenantFor(await readJson(c));
    return c.json(await renderPreview(subject, tenant, templates));
  });

  // Separate from /api/render because caniemail's check takes a tenth of a second or more: the
  // preview re-renders on every keystroke, the panel can follow a little later.
  app.post('/api/compat', async (c) => {
    const { subject, tenant } = tenantFor(await readJson(c));
    const email = await renderEmail(subject, tenant, templates);
    return c.json({ families: emailCompatibility(email.html) });
  });
  return app;
}
