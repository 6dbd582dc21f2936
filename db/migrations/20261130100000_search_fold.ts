// tt_fold(text): Vietnamese text folded for accent- and case-insensitive search ("phuoc" finds
// "Phước", "DONG" finds "Đồng"). A plain translate() of the precomposed (NFC) letters, so that it
// works on any server and locale without the unaccent extension; the query text is folded the
// same way in JavaScript (db/search.ts). Unit names are stored NFC.
import type { Knex } from "knex";

const FROM = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
const TO = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function tt_fold(t text) returns text
      language sql immutable parallel safe strict
      as \$\$ select lower(translate(t, '${FROM}', '${TO}')) \$\$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("drop function if exists tt_fold(text)");
}
