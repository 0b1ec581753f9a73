import { lua, lstr, type LuaState } from './lua';
export function openCjson(L: LuaState): void {
  lua.lua_createtable(L, 0, 0);
  lua.lua_setglobal(L, lstr('cjson'));
}
