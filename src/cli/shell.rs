//! `socctl completions` and `socctl man`: shell integration generated from the clap model,
//! so they never drift from the real flags.

use std::io::Write;

use clap::CommandFactory;

use super::Cli;

/// Arguments of `socctl completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

/// Arguments of `socctl man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {}

/// Writes the completion script for a shell.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    // clap_complete panics on a write error (a closed pipe); build the script first.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "socctl", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// Writes the manual page, with every subcommand in it.
pub fn man(_args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let command = Cli::command();
    clap_mangen::Man::new(command.clone()).render(out)?;
    // One section per subcommand, with its own description and options.
    for subcommand in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        writeln!(
            out,
            ".SH \"SOCCTL {}\"",
            subcommand.get_name().to_uppercase()
        )?;
        let page = clap_mangen::Man::new(subcommand.clone());
        page.render_description_section(out)?;
        page.render_options_section(out)?;
    }
    Ok(())
}
