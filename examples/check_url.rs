//! Prints the UrlCheck of each argument as JSON: `cargo run --example check_url -- docker.io`.
use registry_probe::{validate_registry_url, PageProtocol, UrlOptions};

fn main() {
    let mut options = UrlOptions::default();
    for arg in std::env::args().skip(1) {
        if arg == "--https-page" {
            options.page_protocol = Some(PageProtocol::Https);
            continue;
        }
        let check = validate_registry_url(&arg, &options);
        match serde_json::to_string(&check) {
            Ok(json) => println!("{arg}\t{json}"),
            Err(e) => eprintln!("{arg}: {e}"),
        }
    }
}
