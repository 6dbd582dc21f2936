// Dashboard accounts: lookups and changes of the users table.
import type { Knex } from "knex";

export type Role = "inspector" | "unit_head" | "province";
export const ROLES: Role[] = ["inspector", "unit_head", "province"];

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  full_name: string;
  email: string | null;
  role: Role;
  unit_id: number | null;
  active: boolean;
}

export interface UserListItem extends Omit<UserRow, "password_hash"> {
  unit_name: string | null;
}

export async function findUserByUsername(knex: Knex, username: string): Promise<UserRow | undefined> {
  return knex<UserRow>("users").where({ username }).first();
}

export async function getUserById(knex: Knex, id: number): Promise<UserRow | undefined> {
  return knex<UserRow>("users").where({ id }).first();
}

export async function listUsers(knex: Knex): Promise<UserListItem[]> {
  return knex("users as u")
    .leftJoin("units as n", "n.id", "u.unit_id")
    .select("u.id", "u.username", "u.full_name", "u.email", "u.role", "u.unit_id", "u.active", "n.name as unit_name")
    .orderBy("u.username");
}

export interface NewUser {
  username: string;
  passwordHash: string;
  fullName: string;
  email?: string | null;
  role: Role;
  unitId?: number | null;
}

export async function createUser(knex: Knex, u: NewUser): Promise<number> {
  const [row] = await knex("users")
    .insert({
      username: u.username,
      password_hash: u.passwordHash,
      full_name: u.fullName,
      email: u.email ?? null,
      role: u.role,
      unit_id: u.role === "unit_head" ? (u.unitId ?? null) : null,
    })
    .returning("id");
  return row.id;
}

export async function updateUser(
  knex: Knex,
  id: number,
  patch: { fullName?: string; email?: string | null; role?: Role; unitId?: number | null; active?: boolean },
): Promise<void> {
  const row: Record<string, unknown> = {};
  if (patch.fullName !== undefined) row.full_name = patch.fullName;
  if (patch.email !== undefined) row.email = patch.email;
  if (patch.role !== undefined) {
    row.role = patch.role;
    row.unit_id = patch.role === "unit_head" ? (patch.unitId ?? null) : null;
  }
  if (patch.active !== undefined) row.active = patch.active;
  if (Object.keys(row).length) await knex("users").where({ id }).update(row);
}

export async function setPasswordHash(knex: Knex, id: number, passwordHash: string): Promise<void> {
  await knex("users").where({ id }).update({ password_hash: passwordHash, password_changed_at: knex.fn.now() });
}

export async function usernameTaken(knex: Knex, username: string): Promise<boolean> {
  return Boolean(await knex("users").where({ username }).first("id"));
}
