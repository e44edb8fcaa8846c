/// How one style role looks: colours (as 256-colour indexes) and attributes.
public struct ColorSpec: Sendable, Hashable {
    /// Foreground colour, 0–255, or nil for the terminal's default.
    public var foreground: Int?
    /// Background colour, 0–255, or nil for the terminal's default.
    public var background: Int?
    public var bold = false
    public var reverse = false
    public var underline = false
    public var dim = false

    /// A spec.
    public init(foreground: Int? = nil, background: Int? = nil, bold: Bool = false, reverse: Bool = false,
                underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// The colour names themes may use, as indexes 0–15.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "grey": 8, "gray": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]
}

/// How many colours the terminal has.
public enum ColorDepth: Sendable, Hashable {
    /// No colour (`NO_COLOR`, or a terminal without colours): attributes only.
    case none
    case eight
    case sixteen
    case full

    /// The depth for a terminal reporting `colors` colours.
    public init(colors: Int, noColor: Bool) {
        if noColor || colors < 8 { self = .none } else if colors < 16 { self = .eight } else if colors < 256 { self = .sixteen } else { self = .full }
    }
}
