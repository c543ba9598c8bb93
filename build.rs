// The migrations are embedded in the binary (`embed_migrations!`): a new or changed one
// must rebuild it, as diesel's guide says.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
