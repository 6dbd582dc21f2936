// Criterion help on the dashboard (issue 14 §1): every criterion of every default rubric version
// has its own "what is measured" and "how to fix", and the help shows the legal basis it is given.
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { CriterionHelp, CriterionHelpList, criterionHelpText } from "../../app/components/CriterionHelp.tsx";
import { DEFAULT_RUBRIC_VERSIONS } from "../../db/seeds/rubric-default.ts";

describe("criterion help", () => {
  it("explains every criterion of every default rubric version specifically", () => {
    for (const v of DEFAULT_RUBRIC_VERSIONS) {
      for (const c of v.criteria) {
        const h = criterionHelpText({ code: c.code, name: c.name, legalBasis: c.legalBasis ?? null, measure: c.measure });
        expect(h.fix, `${v.effectiveFrom} ${c.code}`).not.toMatch(/^Xem các phát hiện/);
        expect(c.legalBasis, `${v.effectiveFrom} ${c.code} has a legal basis`).toBeTruthy();
      }
    }
  });

  it("renders what is measured, the legal basis and the fix", () => {
    const emc = DEFAULT_RUBRIC_VERSIONS[2].criteria.find((c) => c.code === "ky-thuat.emc-ma-giam-sat")!;
    const html = renderToStaticMarkup(createElement(CriterionHelp, { criterion: { code: emc.code, name: emc.name, legalBasis: emc.legalBasis ?? null, measure: emc.measure } }));
    expect(html).toContain("Căn cứ pháp lý");
    expect(html).toContain("TT 22/2023/TT-BTTTT");
    expect(html).toContain("mã giám sát");
    const list = renderToStaticMarkup(
      createElement(CriterionHelpList, {
        criteria: DEFAULT_RUBRIC_VERSIONS[0].criteria.map((c) => ({ code: c.code, name: c.name, legalBasis: c.legalBasis ?? null, measure: c.measure })),
      }),
    );
    expect(list).toContain("TT 32/2017/TT-BTTTT Điều 16 khoản 3");
    expect(list).not.toContain("TT 22/2023");
  });
});
