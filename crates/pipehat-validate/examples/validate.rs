//! `cargo run -p pipehat-validate --example validate FILE [--strict] [--no-values]`: the report
//! of every message in an HL7 v2 file, as text.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or("usage: validate FILE")?;
    let input = std::fs::read(path)?;
    let options = pipehat_validate::Options {
        preset: if args.iter().any(|a| a == "--strict") {
            pipehat_validate::Preset::Strict
        } else {
            pipehat_validate::Preset::Tolerant
        },
        with_values: !args.iter().any(|a| a == "--no-values"),
        ..pipehat_validate::Options::default()
    };
    let file = pipehat::File::parse(&input);
    for message in file.messages() {
        print!("{}", pipehat_validate::validate(message, &options));
    }
    Ok(())
}
