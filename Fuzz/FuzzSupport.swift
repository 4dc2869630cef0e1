// Shared by every fuzz target (scripts/fuzz.sh compiles it into each).
import Foundation

/// Stops the run when a property of the parser under test does not hold.
///
/// libFuzzer reports the abort like a crash and saves the input, so a logic bug is found, kept and
/// replayed the same way as a memory error.
func require(
    _ holds: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard holds() else {
        FileHandle.standardError.write(Data("property failed (\(file):\(line)): \(message())\n".utf8))
        abort()
    }
}

/// The fuzzer's bytes as the text a parser is given: feed rows, stamps and layouts reach the kit as
/// Swift strings, so bytes that are not UTF-8 arrive repaired (U+FFFD), as `String(cString:)`
/// repairs what libpq returns.
func fuzzText(_ start: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
}
