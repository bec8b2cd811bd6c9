fn main() {
    std::process::exit(mailwiz::cli::main());
}
