extension Theme {
    /// The theme as a terminal of `depth` can show it: 256-colour indexes become the
    /// nearest of 16 or 8, and without colour only the attributes remain.
    public func adapted(to depth: ColorDepth) -> Theme {
        var adapted = self
        for (role, spec) in roles {
            var spec = spec
            switch depth {
            case .full:
                break
            case .sixteen:
                spec.foreground = spec.foreground.map(Theme.nearest16)
                spec.background = spec.background.map(Theme.nearest16)
            case .eight:
                if let foreground = spec.foreground, foreground >= 8 {
                    let nearest = Theme.nearest16(foreground)
                    // Bright colours become bold base colours, except bright black, which dims.
                    if nearest == 8 { spec.dim = true } else if nearest > 8 { spec.bold = true }
                    spec.foreground = nearest % 8 == 0 && nearest == 8 ? 7 : nearest % 8
                }
                spec.background = spec.background.map { Theme.nearest16($0) % 8 }
            case .none:
                spec = Theme.attributes[role] ?? ColorSpec()
            }
            adapted.set(role, spec)
        }
        return adapted
    }

    private mutating func set(_ role: StyleRole, _ spec: ColorSpec) {
        var roles = self.roles
        roles[role] = spec
        self = Theme(name: name, roles: roles)
    }

    /// The 16-colour index closest to a 256-colour index.
    static func nearest16(_ index: Int) -> Int {
        if index < 16 { return index }
        let rgb = Theme.rgb(index)
        var best = 0
        var bestDistance = Int.max
        for candidate in 0..<16 {
            let other = Theme.rgb(candidate)
            let distance = (rgb.0 - other.0) * (rgb.0 - other.0) + (rgb.1 - other.1) * (rgb.1 - other.1)
                + (rgb.2 - other.2) * (rgb.2 - other.2)
            if distance < bestDistance {
                bestDistance = distance
                best = candidate
            }
        }
        return best
    }

    /// The xterm RGB value of a 256-colour index.
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        let base: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return base[index] }
        if index >= 232 {
            let level = 8 + (index - 232) * 10
            return (level, level, level)
        }
        let cube = index - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }
}
