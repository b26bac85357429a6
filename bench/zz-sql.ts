import { facetStatement } from '../src/catalogue/postgres/facets.js'
import { whereCondition, type Parameters } from '../src/catalogue/postgres/where.js'
const query = JSON.parse(process.argv[2] as string)
const st = facetStatement([{ name: 'type-name', limit: 1000 }, { name: 'published', limit: 1000 }, { name: 'container-title', limit: 10 }, { name: 'language', limit: 1000 }], (p: Parameters) => whereCondition(query, p) ?? 'false')
let sql = st.sql
st.values.forEach((v, i) => { sql = sql.replaceAll(`$${i + 1}`, Array.isArray(v) ? `'{${v.join(',')}}'` : typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v)) })
console.log(sql)
