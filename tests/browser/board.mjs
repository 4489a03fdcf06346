// Drives `socctl serve` in Debian's headless Chromium (playwright-core, never a downloaded
// browser) and prints what it saw as one JSON object; tests/serve_browser.rs asserts on it.
//
//   node tests/browser/board.mjs CONFIG.json
//
// CONFIG: {"base": "http://127.0.0.1:PORT", "profile": DIR, "screenshots": DIR or null,
//          "accounts": {"member": [name, password], "lead": […], "other": […]},
//          "team": T, "task": a task of T's alone, "occurrence": its date today,
//          "pages": ["/", …]}
// playwright-core and axe-core are found in $SOCCTL_TEST_NODE_MODULES (scripts/test).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const modules = process.env.SOCCTL_TEST_NODE_MODULES;
if (!modules) throw new Error('SOCCTL_TEST_NODE_MODULES is not set (run scripts/test)');
const require = createRequire(path.join(modules, 'noop.js'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const SIZES = [[1280, 800], [390, 844]];
const WAIT = 15000;

const result = { console: [], expected_console: [], axe: [], steps: {} };
/// Set while a step expects the browser to log an error (the forged POST's 403).
let expecting = null;

const contexts = [];

/// Every console message of level error or warning, every page error and every failed
/// request, on every page of `ctx`: CSP violations arrive as console errors.
function watch(ctx, who) {
  ctx.on('page', (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        const entry = { who, url: page.url(), type: msg.type(), text: msg.text() };
        (expecting === who ? result.expected_console : result.console).push(entry);
      }
    });
    page.on('pageerror', (error) => {
      result.console.push({ who, url: page.url(), type: 'pageerror', text: String(error) });
    });
  });
}

/// A browser of its own, on a fresh profile directory: a separate session.
async function session(who) {
  const ctx = await chromium.launchPersistentContext(path.join(config.profile, who), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    timeout: WAIT,
  });
  contexts.push(ctx);
  ctx.setDefaultTimeout(WAIT);
  ctx.setDefaultNavigationTimeout(WAIT);
  watch(ctx, who);
  return ctx;
}

async function login(ctx, [name, password]) {
  const page = await ctx.newPage();
  await page.goto(`${config.base}/login`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

/// axe-core on the page as it is, serious and critical violations only.
async function axe(page, label, [width, height]) {
  await page.setViewportSize({ width, height });
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (an
  // injected <script> would be refused, rightly).
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return { version: window.axe.version, passes: r.passes.length, violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    })) };
  });
  const serious = (v) => v.impact === 'serious' || v.impact === 'critical';
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  result.axe.push({
    page: label, width, height, scroll_width: scrollWidth, version: found.version, passes: found.passes,
    violations: found.violations.filter(serious),
    minor: found.violations.filter((v) => !serious(v)).map((v) => v.id),
  });
}

/// The board's row of `task`'s occurrence on `date` in `team`'s section: its status text
/// and which forms it has.
async function row(page, team, task, date = config.occurrence) {
  return page.evaluate(([team, task, date]) => {
    const section = document.querySelector(`section[aria-labelledby="team-${team}"]`);
    if (!section) return null;
    for (const tr of section.querySelectorAll('tbody tr')) {
      const link = tr.querySelector('a[href^="/task/"]');
      const due = tr.querySelectorAll('td')[1]?.textContent.trim() ?? '';
      if (link && link.getAttribute('href') === `/task/${task}` && due.startsWith(date)) {
        return {
          status: tr.querySelector('td[class^="status-"]')?.textContent.trim() ?? null,
          forms: [...tr.querySelectorAll('form')].map((f) => new URL(f.action).pathname),
        };
      }
    }
    return null;
  }, [team, task, date]);
}

try {
  const team = config.team;
  // The login page, before anyone is logged in.
  {
    const ctx = await session('anonymous');
    const page = await ctx.newPage();
    await page.goto(`${config.base}/login`);
    for (const size of SIZES) await axe(page, '/login', size);
  }

  // The member logs in and sees today's list.
  const member = await session('member');
  const mpage = await login(member, config.accounts.member);
  result.steps.after_login = new URL(mpage.url()).pathname;
  result.steps.title = await mpage.title();
  result.steps.sections = await mpage.$$eval('section.team h2', (hs) => hs.map((h) => h.id));
  const { task, occurrence } = config;
  result.steps.before = await row(mpage, team, task);

  // Every page, at both sizes, as the member; screenshots of the board.
  for (const p of config.pages) {
    await mpage.goto(`${config.base}${p}`);
    for (const size of SIZES) {
      await axe(mpage, p, size);
      if (p === '/' && config.screenshots) {
        await mpage.screenshot({ path: path.join(config.screenshots, `board-${size[0]}.png`), fullPage: true });
      }
    }
  }
  await mpage.setViewportSize({ width: 1280, height: 800 });

  // Tick it done with a note, through the form as a person would.
  const note = 'checked from the browser test';
  await mpage.goto(`${config.base}/`);
  const doneForm = mpage.locator(`section[aria-labelledby="team-${team}"] form[action="/record/done"]`, { has: mpage.locator(`input[name=task][value="${task}"]`) }).filter({ has: mpage.locator(`input[name=occurrence][value="${occurrence}"]`) });
  await doneForm.locator('input[name=note]').fill(note);
  await Promise.all([mpage.waitForNavigation(), doneForm.locator('button[type=submit]').click()]);
  result.steps.after_done_url = new URL(mpage.url()).pathname;
  result.steps.member_after_done = await row(mpage, team, task);

  // A second session (the lead, in a context of its own) sees it done, with the note on
  // the task's page.
  const lead = await session('lead');
  const lpage = await login(lead, config.accounts.lead);
  result.steps.lead_sees = await row(lpage, team, task);
  await lpage.goto(`${config.base}/task/${task}`);
  result.steps.lead_task_page_has_note = (await lpage.content()).includes(note);
  // The lead undoes it.
  await lpage.goto(`${config.base}/`);
  const undoForm = lpage.locator(`section[aria-labelledby="team-${team}"] form[action="/record/undo"]`, { has: lpage.locator(`input[name=task][value="${task}"]`) }).filter({ has: lpage.locator(`input[name=occurrence][value="${occurrence}"]`) });
  await undoForm.locator('input[name=note]').fill('undone from the browser test');
  await Promise.all([lpage.waitForNavigation(), undoForm.locator('button[type=submit]').click()]);
  result.steps.lead_after_undo = await row(lpage, team, task);
  await mpage.reload();
  result.steps.member_after_undo = await row(mpage, team, task);

  // A member of another team: no form on this team's rows, and a forged POST (with the
  // session's own CSRF token, from our own origin) is refused.
  const other = await session('other');
  const opage = await login(other, config.accounts.other);
  result.steps.other_sees = await row(opage, team, task);
  // The page's own scripts could not send it (the CSP allows no script and no fetch):
  // this is a form added to the page, as a forged page of our own origin would.
  expecting = 'other';
  const [forged] = await Promise.all([
    opage.waitForNavigation(),
    opage.evaluate(([team, task, occurrence]) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/record/done';
      const fields = { csrf: document.querySelector('input[name=csrf]').value, task, team, occurrence, back: '/', note: 'forged' };
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    }, [team, task, occurrence]),
  ]);
  result.steps.other_forged = forged ? forged.status() : null;
  expecting = null;
  await opage.goto(`${config.base}/`);
  result.steps.after_forged = await row(opage, team, task);

  // The member logs out; the old session cookie no longer works.
  const cookies = await member.cookies();
  await Promise.all([mpage.waitForNavigation(), mpage.click('form[action="/logout"] button')]);
  result.steps.after_logout_url = new URL(mpage.url()).pathname;
  const replay = await session('replay');
  await replay.addCookies(cookies);
  const rpage = await replay.newPage();
  await rpage.goto(`${config.base}/`);
  result.steps.replayed_cookie_url = new URL(rpage.url()).pathname;
  result.steps.replayed_cookie_status = (await replay.request.get(`${config.base}/api/due`, { maxRedirects: 0 })).status();
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  for (const ctx of contexts) await ctx.close().catch(() => {});
}
process.stdout.write(JSON.stringify(result) + '\n');
