// Run axe-core on web pages in Debian's Chromium, at each page width asked for.
//
//   node axe_pages.mjs NODE_MODULES < job.json > results.json
//
// job.json: {"chromium": "/usr/bin/chromium", "urls": [...], "widths": [390, 1280],
//            "tags": ["wcag2a", ...], "origin": "http://127.0.0.1:PORT"}
// results.json: {"axe": "4.13.0", "results": [{"url", "width", "violations": [
//                {"id", "impact", "help", "targets": [...]}], "error": null | "..."}]}
//
// NODE_MODULES is where `make` installed puppeteer-core and @axe-core/puppeteer
// (.venv/axe/node_modules). Offline: every request to anything but `origin` is aborted.
// leafpress.validate.axe runs this script and reads its answer.

import { createRequire } from "node:module";
import path from "node:path";

const HEIGHT = 800;
const TIMEOUT_MS = 60000;

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function offline(page, origin) {
  return page.setRequestInterception(true).then(() => {
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith(origin + "/") || url.startsWith("data:") || url === "about:blank") {
        request.continue();
      } else {
        request.abort("blockedbyclient");
      }
    });
  });
}

async function check(browser, AxePuppeteer, job, url, width) {
  const page = await browser.newPage();
  try {
    await page.setViewport({ width, height: HEIGHT, deviceScaleFactor: 1 });
    await offline(page, job.origin);
    const response = await page.goto(url, { waitUntil: "load", timeout: TIMEOUT_MS });
    if (!response || !response.ok()) {
      return { url, width, violations: [], error: `HTTP ${response ? response.status() : "no response"}` };
    }
    const results = await new AxePuppeteer(page).withTags(job.tags).analyze();
    const violations = results.violations.map((v) => ({
      id: v.id,
      impact: v.impact || "",
      help: v.help,
      targets: v.nodes.map((node) => node.target.flat().join(" ")),
    }));
    return { url, width, violations, error: null, axe: results.testEngine.version };
  } catch (error) {
    return { url, width, violations: [], error: String(error && error.message ? error.message : error) };
  } finally {
    await page.close();
  }
}

async function main() {
  const modules = process.argv[2];
  if (!modules) {
    process.stderr.write("usage: node axe_pages.mjs NODE_MODULES < job.json\n");
    process.exit(2);
  }
  const require = createRequire(path.join(path.resolve(modules), "leafpress-axe.cjs"));
  const puppeteer = require("puppeteer-core");
  const { AxePuppeteer } = require("@axe-core/puppeteer");
  const job = await readStdin();
  const browser = await puppeteer.launch({
    executablePath: job.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-setuid-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--disable-extensions", "--disable-background-networking"],
  });
  const results = [];
  let version = "";
  try {
    for (const url of job.urls) {
      for (const width of job.widths) {
        const result = await check(browser, AxePuppeteer, job, url, width);
        version = result.axe || version;
        delete result.axe;
        results.push(result);
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ axe: version, results }));
}

main().catch((error) => {
  process.stderr.write(`axe_pages: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
