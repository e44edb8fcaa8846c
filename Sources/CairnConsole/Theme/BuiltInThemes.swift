/// The four themes built into the binary, as TOML: `cairn --theme light` works in any
/// folder. A `themes/NAME.toml` beside `cairn.toml` (or in the working folder) overrides
/// one of them or adds another (`Theme.load`).
enum BuiltInThemes {
    /// The names, in the order they are listed.
    static let names = ["default", "light", "high-contrast", "mono"]

    /// The TOML text of each.
    static let sources: [String: String] = [
        "default": #"""
        # The console's default theme, for dark terminals: a colour per semantic role.
        # Colours are names (black, red, green, yellow, blue, magenta, cyan, white and
        # bright-*), 256-colour numbers, or "default"; a table also takes bold, reverse,
        # underline and dim. The console falls back to 16 or 8 colours and honours NO_COLOR.
        name = "default"

        [roles]
        normal = "default"
        dim = "bright-black"
        title = { fg = "default", bold = true }
        border = "bright-black"
        selection = { fg = "black", bg = "cyan" }
        applied = "green"
        pending = "cyan"
        failed = { fg = "red", bold = true }
        skipped = "yellow"
        drift = { fg = "magenta", bold = true }
        missing = { fg = "magenta", bold = true }
        diff-add = "green"
        diff-remove = "red"
        diff-change = "yellow"
        log-debug = "bright-black"
        log-info = "default"
        log-warning = "yellow"
        log-error = { fg = "red", bold = true }
        hint = "bright-black"
        hint-key = { fg = "cyan", bold = true }
        hint-disabled = { fg = "bright-black", dim = true }
        accent = { fg = "cyan", bold = true }
        error = { fg = "red", bold = true }
        dialog = "default"
        button = "default"
        button-focused = { fg = "black", bg = "cyan", bold = true }
        input = { fg = "default", underline = true }
        match = { fg = "black", bg = "yellow" }
        banner = { fg = "magenta", bold = true }
        focus = { fg = "black", bg = "cyan", bold = true }
        danger = { fg = "bright-white", bg = "red", bold = true }
        """#,
        "light": #"""
        # For light terminal backgrounds: darker colours, no bright yellow text.
        name = "light"

        [roles]
        normal = "default"
        dim = 244
        title = { fg = 17, bold = true }
        border = 249
        selection = { fg = "white", bg = 25 }
        applied = 28
        pending = 25
        failed = { fg = 124, bold = true }
        skipped = 130
        drift = { fg = 90, bold = true }
        missing = { fg = 90, bold = true }
        diff-add = 28
        diff-remove = 124
        diff-change = 130
        log-debug = 246
        log-info = "default"
        log-warning = 130
        log-error = { fg = 124, bold = true }
        hint = 244
        hint-key = { fg = 25, bold = true }
        hint-disabled = { fg = 250, dim = true }
        accent = { fg = 25, bold = true }
        error = { fg = 124, bold = true }
        dialog = "default"
        button = "default"
        button-focused = { fg = "white", bg = 25, bold = true }
        input = { fg = "default", underline = true }
        match = { fg = "black", bg = 222 }
        banner = { fg = 90, bold = true }
        focus = { fg = "white", bg = 25, bold = true }
        danger = { fg = "white", bg = 124, bold = true }
        """#,
        "high-contrast": #"""
        # Maximum contrast: bright colours, bold states, reversed selections.
        name = "high-contrast"

        [roles]
        normal = "bright-white"
        dim = "white"
        title = { fg = "bright-white", bold = true }
        border = "bright-white"
        selection = { fg = "black", bg = "bright-yellow", bold = true }
        applied = { fg = "bright-green", bold = true }
        pending = { fg = "bright-cyan", bold = true }
        failed = { fg = "bright-red", bold = true, underline = true }
        skipped = { fg = "bright-yellow", bold = true }
        drift = { fg = "bright-magenta", bold = true, underline = true }
        missing = { fg = "bright-magenta", bold = true, underline = true }
        diff-add = { fg = "bright-green", bold = true }
        diff-remove = { fg = "bright-red", bold = true }
        diff-change = { fg = "bright-yellow", bold = true }
        log-debug = "white"
        log-info = "bright-white"
        log-warning = { fg = "bright-yellow", bold = true }
        log-error = { fg = "bright-red", bold = true }
        hint = "bright-white"
        hint-key = { fg = "bright-yellow", bold = true }
        hint-disabled = { fg = "white", dim = true }
        accent = { fg = "bright-yellow", bold = true }
        error = { fg = "bright-red", bold = true }
        dialog = "bright-white"
        button = "bright-white"
        button-focused = { fg = "black", bg = "bright-yellow", bold = true }
        input = { fg = "bright-white", underline = true }
        match = { fg = "black", bg = "bright-cyan", bold = true }
        banner = { fg = "bright-magenta", bold = true }
        focus = { fg = "black", bg = "bright-white", bold = true }
        danger = { fg = "bright-white", bg = "red", bold = true }
        """#,
        "mono": #"""
        # No colours at all, only attributes: for monochrome terminals and screenshots.
        name = "mono"

        [roles]
        normal = "default"
        dim = { fg = "default", dim = true }
        title = { fg = "default", bold = true }
        border = "default"
        selection = { fg = "default", reverse = true }
        applied = "default"
        pending = "default"
        failed = { fg = "default", bold = true }
        skipped = { fg = "default", dim = true }
        drift = { fg = "default", bold = true, underline = true }
        missing = { fg = "default", bold = true, underline = true }
        diff-add = { fg = "default", bold = true }
        diff-remove = { fg = "default", dim = true }
        diff-change = { fg = "default", underline = true }
        log-debug = { fg = "default", dim = true }
        log-info = "default"
        log-warning = { fg = "default", bold = true }
        log-error = { fg = "default", bold = true, reverse = true }
        hint = { fg = "default", dim = true }
        hint-key = { fg = "default", bold = true }
        hint-disabled = { fg = "default", dim = true }
        accent = { fg = "default", bold = true }
        error = { fg = "default", bold = true, reverse = true }
        dialog = "default"
        button = "default"
        button-focused = { fg = "default", reverse = true, bold = true }
        input = { fg = "default", underline = true }
        match = { fg = "default", reverse = true }
        banner = { fg = "default", bold = true }
        focus = { fg = "default", reverse = true, bold = true }
        danger = { fg = "default", reverse = true, bold = true }
        """#,
    ]
}
