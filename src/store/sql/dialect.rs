pub fn postgres_query(sql: &str) -> String {
    sql.to_string()
}
pub fn postgres_schema(sql: &str) -> String {
    sql.to_string()
}
pub const POSTGRES_VERSION_TABLE: &str = "CREATE TABLE salesops_schema (version BIGINT NOT NULL)";
