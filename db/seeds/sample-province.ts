// Seeds the sample province: unit groups, units and their sites (from the fixture farm's list),
// default settings, and one account per role. Idempotent: re-running updates in place.
// The province is as it stands after 01/07/2025 (two-level local government): Gia Lai, which
// absorbed Bình Định; no district level ("UBND cấp huyện"). Decision 0016.
import { hash } from "@node-rs/argon2";
import type { Knex } from "knex";

export interface SampleUnit {
  code: string;
  name: string;
  unitType: string;
  group: string;
  baseUrl: string;
  allowPrivate?: boolean;
}

export interface DemoAccount {
  username: string;
  password: string;
  role: "inspector" | "unit_head" | "province";
  fullName: string;
  unitCode?: string;
}

export const UNIT_GROUPS = [
  { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
  { code: "xa", name: "UBND xã, phường, đặc khu", sort: 2 },
  { code: "su-nghiep", name: "Đơn vị sự nghiệp", sort: 3 },
];

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  province_name: "Gia Lai",
  department_name: "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
  report_parent_body: "UBND TỈNH GIA LAI",
  report_issuer_abbreviation: "SKHCN",
  audit_schedule: "0 2 * * *",
  tier_thresholds: [
    { tier: "Xuất sắc", min: 90 },
    { tier: "Tốt", min: 80 },
    { tier: "Khá", min: 65 },
    { tier: "Trung bình", min: 50 },
    { tier: "Yếu", min: 0 },
  ],
};

export async function seedGroupsAndSettings(knex: Knex): Promise<void> {
  await knex("unit_groups").insert(UNIT_GROUPS).onConflict("code").merge();
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    await knex("settings").insert({ key, value: JSON.stringify(value) }).onConflict("key").ignore();
  }
}

export async function seedUnits(knex: Knex, units: SampleUnit[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const u of units) {
    const [row] = await knex("units")
      .insert({ code: u.code, name: u.name, unit_type: u.unitType, group_code: u.group, active: true })
      .onConflict("code")
      .merge({ name: u.name, unit_type: u.unitType, group_code: u.group, updated_at: knex.fn.now() })
      .returning("id");
    ids.set(u.code, row.id);
    const host = new URL(u.baseUrl).host;
    const existing = await knex("sites").where({ unit_id: row.id, is_primary: true }).first();
    const site = {
      base_url: u.baseUrl,
      allowed_hosts: [host],
      allow_private: u.allowPrivate ?? false,
      updated_at: knex.fn.now(),
    };
    if (existing) await knex("sites").where({ id: existing.id }).update(site);
    else await knex("sites").insert({ ...site, unit_id: row.id, is_primary: true });
  }
  return ids;
}

/** Demo accounts: one per role (and a second unit head). Passwords are printed by the demo. */
export function demoAccounts(units: SampleUnit[]): DemoAccount[] {
  const first = units.find((u) => u.group === "so-nganh") ?? units[0];
  const commune = units.find((u) => u.group === "xa") ?? units[units.length - 1];
  return [
    { username: "thanhtra", password: "ThanhTra@2026", role: "inspector", fullName: "Nguyễn Văn Thanh" },
    { username: "tinh", password: "Tinh@2026", role: "province", fullName: "Trần Thị Bình" },
    {
      username: "donvi",
      password: "DonVi@2026",
      role: "unit_head",
      fullName: "Lê Minh Đức",
      unitCode: first?.code,
    },
    {
      username: "donvi2",
      password: "DonVi2@2026",
      role: "unit_head",
      fullName: "Phạm Thu Hà",
      unitCode: commune?.code,
    },
  ];
}

export async function seedAccounts(knex: Knex, accounts: DemoAccount[], unitIds: Map<string, number>): Promise<void> {
  for (const a of accounts) {
    const password_hash = await hash(a.password);
    await knex("users")
      .insert({
        username: a.username,
        password_hash,
        full_name: a.fullName,
        role: a.role,
        unit_id: a.unitCode ? unitIds.get(a.unitCode) ?? null : null,
        active: true,
      })
      .onConflict("username")
      .merge(["password_hash", "full_name", "role", "unit_id", "active"]);
  }
}

/** Seeds the per-year holiday table from the rule; days an inspector edited are kept. */
export async function seedHolidays(knex: Knex, tables: Record<string, string>[]): Promise<number> {
  const rows = tables.flatMap((t) => Object.entries(t).map(([day, name]) => ({ day, name, kind: "holiday", source: "rule" })));
  if (!rows.length) return 0;
  const inserted = await knex("holidays").insert(rows).onConflict("day").ignore().returning("day");
  return inserted.length;
}
