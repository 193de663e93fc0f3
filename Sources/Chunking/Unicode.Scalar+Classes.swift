extension Unicode.Scalar {
    /// `properties.isWhitespace`, answered without the property table for ASCII, where most text is:
    /// the table lookup was a tenth of an offline run.
    @inlinable public var isWhitespaceFast: Bool {
        value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace
    }

    /// `properties.isAlphabetic`, answered without the property table for ASCII.
    @inlinable public var isAlphabeticFast: Bool {
        value < 0x80 ? (0x61...0x7A).contains(value | 0x20) : properties.isAlphabetic
    }

    /// A letter or a digit of any script (`isAlphabetic`, or a numeric type), fast for ASCII.
    @inlinable public var isAlphanumericFast: Bool {
        value < 0x80
            ? (0x61...0x7A).contains(value | 0x20) || (0x30...0x39).contains(value)
            : properties.isAlphabetic || properties.numericType != nil
    }
}
