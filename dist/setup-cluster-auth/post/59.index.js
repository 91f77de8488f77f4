export const id=59;export const ids=[59];export const modules={1059:(e,t,s)=>{s.r(t),s.d(t,{MemoryState:()=>MemoryState,runnerState:()=>r});var a=s(6421);const r={save:(e,t)=>a.LZ(e,t),get:e=>a.Gu(e)};class MemoryState{values=new Map;save(e,t){this.values.set(e,t)}get(e){return this.values.get(e)??""}}}};
//# sourceMappingURL=59.index.js.map
