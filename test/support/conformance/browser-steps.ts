import assert from 'node:assert/strict';

/**
 * What a customer's browser does on a provider's page: open it, press the button whose form posts
 * to an action ending in `button`, and answer where it is sent (the Location of the 303), or null.
 */
export async function pressOnPage(
  url: string,
  button: string,
  init: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
): Promise<string | null> {
  const page = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.form && {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(init.form).toString(),
    }),
  });
  assert.equal(page.status, 200, `the provider's page ${new URL(url).pathname} opens`);
  const html = await page.text();
  const form = new RegExp(`<form[^>]*action="([^"]*${button})"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(form?.[1], `the provider's page has a ${button} form`);
  // The form's own hidden fields go with it, as a browser sends them.
  const fields = [...(form[2] ?? '').matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map(
    ([, name, value]): [string, string] => [name!, value!],
  );
  const res = await fetch(new URL(form[1].replace(/&amp;/g, '&'), url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  assert.ok(res.status === 303 || res.status === 302 || res.status === 200, `HTTP ${res.status}`);
  const location = res.headers.get('location');
  return location ? new URL(location, url).toString() : null;
}
