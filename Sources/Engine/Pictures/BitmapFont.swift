/// A 5×8 pixel font for figure labels: printable ASCII (32…126) in a 6-pixel advance.
///
/// Glyphs are 5 pixels wide and 7 tall above the baseline, and g j p q y _ use an eighth row
/// below it. A few typographic characters fall back to their ASCII look-alike (× as x, − as -);
/// any other character shows as a box.
public enum BitmapFont {
    /// Width of a glyph's pixel cell.
    public static let glyphWidth = 5
    /// Height of a glyph's pixel cell, descender row included.
    public static let glyphHeight = 8
    /// Horizontal distance from one character to the next (glyph plus one blank column).
    public static let advance = 6
    /// Vertical distance from one line to the next (glyph plus two blank rows).
    public static let lineHeight = 10

    /// The glyph's eight rows, top row in the most significant byte; in each row bit 4 is the
    /// left-most column.
    public typealias Glyph = UInt64

    /// Whether the font has a glyph of its own for `character` (rather than the box).
    public static func isDefined(_ character: Character) -> Bool {
        code(of: character) != nil
    }

    /// The glyph drawn for `character`: its own, its look-alike's, or the box.
    public static func glyph(for character: Character) -> Glyph {
        code(of: character).map { glyphs[Int($0) - 32] } ?? box
    }

    /// Whether the glyph's pixel at `row` (0 at the top) and `column` (0 at the left) is inked.
    public static func isSet(_ glyph: Glyph, row: Int, column: Int) -> Bool {
        let bits = glyph >> UInt64(8 * (glyphHeight - 1 - row))
        return bits & (1 << UInt64(glyphWidth - 1 - column)) != 0
    }

    /// The pixel width of `text`'s longest line: `advance · n − 1` per line of n characters
    /// (no blank column after the last), times `scale`.
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        let longest = text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
        return longest == 0 ? 0 : (advance * longest - 1) * max(scale, 1)
    }

    /// The pixel height of `text`: `lineHeight · (lines − 1) + glyphHeight`, times `scale`.
    public static func textHeight(_ text: String, scale: Int = 1) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return (lineHeight * (lines - 1) + glyphHeight) * max(scale, 1)
    }

    /// The ASCII code whose glyph stands for `character`, if any.
    private static func code(of character: Character) -> UInt8? {
        if let ascii = character.asciiValue, (32...126).contains(ascii) { return ascii }
        return lookAlikes[character]
    }

    private static let lookAlikes: [Character: UInt8] = [
        "×": UInt8(ascii: "x"), "−": UInt8(ascii: "-"), "–": UInt8(ascii: "-"), "·": UInt8(ascii: "."),
        "\u{00A0}": UInt8(ascii: " "),
    ]

    /// A hollow 5×7 rectangle for characters the font lacks.
    private static let box: Glyph = 0x1F_11_11_11_11_11_1F_00

    /// ASCII 32…126 in order, four per line.
    private static let glyphs: [Glyph] = [
        0x00_00_00_00_00_00_00_00, 0x04_04_04_04_04_00_04_00, 0x0A_0A_0A_00_00_00_00_00, 0x0A_0A_1F_0A_1F_0A_0A_00,  // space ! " #
        0x04_0F_14_0E_05_1E_04_00, 0x18_19_02_04_08_13_03_00, 0x0C_12_14_08_15_12_0D_00, 0x04_04_08_00_00_00_00_00,  // $ % & '
        0x02_04_08_08_08_04_02_00, 0x08_04_02_02_02_04_08_00, 0x00_04_15_0E_15_04_00_00, 0x00_04_04_1F_04_04_00_00,  // ( ) * +
        0x00_00_00_00_0C_04_08_00, 0x00_00_00_1F_00_00_00_00, 0x00_00_00_00_00_0C_0C_00, 0x00_01_02_04_08_10_00_00,  // , - . /
        0x0E_11_13_15_19_11_0E_00, 0x04_0C_04_04_04_04_0E_00, 0x0E_11_01_02_04_08_1F_00, 0x1F_02_04_02_01_11_0E_00,  // 0 1 2 3
        0x02_06_0A_12_1F_02_02_00, 0x1F_10_1E_01_01_11_0E_00, 0x06_08_10_1E_11_11_0E_00, 0x1F_01_02_04_08_08_08_00,  // 4 5 6 7
        0x0E_11_11_0E_11_11_0E_00, 0x0E_11_11_0F_01_02_0C_00, 0x00_0C_0C_00_0C_0C_00_00, 0x00_0C_0C_00_0C_04_08_00,  // 8 9 : ;
        0x02_04_08_10_08_04_02_00, 0x00_00_1F_00_1F_00_00_00, 0x08_04_02_01_02_04_08_00, 0x0E_11_01_02_04_00_04_00,  // < = > ?
        0x0E_11_01_0D_15_15_0E_00, 0x0E_11_11_11_1F_11_11_00, 0x1E_11_11_1E_11_11_1E_00, 0x0E_11_10_10_10_11_0E_00,  // @ A B C
        0x1C_12_11_11_11_12_1C_00, 0x1F_10_10_1E_10_10_1F_00, 0x1F_10_10_1E_10_10_10_00, 0x0E_11_10_17_11_11_0F_00,  // D E F G
        0x11_11_11_1F_11_11_11_00, 0x0E_04_04_04_04_04_0E_00, 0x07_02_02_02_02_12_0C_00, 0x11_12_14_18_14_12_11_00,  // H I J K
        0x10_10_10_10_10_10_1F_00, 0x11_1B_15_15_11_11_11_00, 0x11_11_19_15_13_11_11_00, 0x0E_11_11_11_11_11_0E_00,  // L M N O
        0x1E_11_11_1E_10_10_10_00, 0x0E_11_11_11_15_12_0D_00, 0x1E_11_11_1E_14_12_11_00, 0x0F_10_10_0E_01_01_1E_00,  // P Q R S
        0x1F_04_04_04_04_04_04_00, 0x11_11_11_11_11_11_0E_00, 0x11_11_11_11_11_0A_04_00, 0x11_11_11_15_15_15_0A_00,  // T U V W
        0x11_11_0A_04_0A_11_11_00, 0x11_11_11_0A_04_04_04_00, 0x1F_01_02_04_08_10_1F_00, 0x0E_08_08_08_08_08_0E_00,  // X Y Z [
        0x00_10_08_04_02_01_00_00, 0x0E_02_02_02_02_02_0E_00, 0x04_0A_11_00_00_00_00_00, 0x00_00_00_00_00_00_00_1F,  // \ ] ^ _
        0x08_04_02_00_00_00_00_00, 0x00_00_0E_01_0F_11_0F_00, 0x10_10_16_19_11_11_1E_00, 0x00_00_0E_10_10_11_0E_00,  // ` a b c
        0x01_01_0D_13_11_11_0F_00, 0x00_00_0E_11_1F_10_0E_00, 0x06_09_08_1C_08_08_08_00, 0x00_00_0F_11_11_0F_01_0E,  // d e f g
        0x10_10_16_19_11_11_11_00, 0x04_00_0C_04_04_04_0E_00, 0x02_00_06_02_02_02_12_0C, 0x10_10_12_14_18_14_12_00,  // h i j k
        0x0C_04_04_04_04_04_0E_00, 0x00_00_1A_15_15_11_11_00, 0x00_00_16_19_11_11_11_00, 0x00_00_0E_11_11_11_0E_00,  // l m n o
        0x00_00_1E_11_11_1E_10_10, 0x00_00_0F_11_11_0F_01_01, 0x00_00_16_19_10_10_10_00, 0x00_00_0E_10_0E_01_1E_00,  // p q r s
        0x08_08_1C_08_08_09_06_00, 0x00_00_11_11_11_13_0D_00, 0x00_00_11_11_11_0A_04_00, 0x00_00_11_11_15_15_0A_00,  // t u v w
        0x00_00_11_0A_04_0A_11_00, 0x00_00_11_11_11_0F_01_0E, 0x00_00_1F_02_04_08_1F_00, 0x02_04_04_08_04_04_02_00,  // x y z {
        0x04_04_04_04_04_04_04_00, 0x08_04_04_02_04_04_08_00, 0x00_00_08_15_02_00_00_00,  // | } ~
    ]
}
