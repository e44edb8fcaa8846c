/// A mouse event at a cell of the screen.
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case click, wheelUp, wheelDown
    }

    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
