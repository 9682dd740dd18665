import Foundation

/// Reads typed fields out of a parsed JSON object and names the file and the field path in
/// every error ("DeviceProfiles/x/profile.json: field 'level.sensitivityDBSPL': expected a number").
public struct ManifestFields {
    let object: [String: Any]
    let file: String
    let path: String

    init(object: [String: Any], file: String, path: String = "") {
        self.object = object
        self.file = file
        self.path = path
    }

    /// Parses a manifest's bytes; `file` names it in messages. Errors in the JSON itself name
    /// the line and column (or byte, for text that is not UTF-8).
    static func parse(data: Data, file: String) throws -> ManifestFields {
        let bytes = [UInt8](data)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            if let located = JSONDocument.syntaxError(in: bytes, file: file) { throw located }
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error.localizedDescription)"
            throw EarshotError.badInput(file: file, "not valid JSON (\(detail))")
        }
        guard let object = parsed as? [String: Any] else {
            let line = (try? JSONDocument.parse(String(decoding: bytes, as: UTF8.self), file: file))?.line ?? 1
            throw EarshotError.badInput(file: file, location: "line \(line)", "expected a JSON object at the top level")
        }
        return ManifestFields(object: object, file: file)
    }

    func fieldName(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String) -> EarshotError {
        EarshotError.badInput(file: file, location: "field '\(fieldName(key))'", message)
    }

    func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    func string(_ key: String) throws -> String {
        guard let value = object[key], !(value is NSNull) else { throw error(key, "missing (expected a string)") }
        guard let s = value as? String else { throw error(key, "expected a string, found \(Self.describe(value))") }
        return s
    }

    func optionalString(_ key: String) throws -> String? { has(key) ? try string(key) : nil }

    func number(_ key: String) throws -> Double {
        guard let value = object[key], !(value is NSNull) else { throw error(key, "missing (expected a number)") }
        guard let n = value as? NSNumber, !Self.isBoolean(value) else {
            throw error(key, "expected a number, found \(Self.describe(value))")
        }
        let d = n.doubleValue
        guard d.isFinite else { throw error(key, "expected a finite number") }
        return d
    }

    func optionalNumber(_ key: String) throws -> Double? { has(key) ? try number(key) : nil }

    func number(_ key: String, in range: ClosedRange<Double>, unit: String) throws -> Double {
        let d = try number(key)
        guard range.contains(d) else {
            throw error(key, "\(d) is out of range; expected \(range.lowerBound)…\(range.upperBound) \(unit)")
        }
        return d
    }

    func optionalNumber(_ key: String, in range: ClosedRange<Double>, unit: String) throws -> Double? {
        has(key) ? try number(key, in: range, unit: unit) : nil
    }

    func object(_ key: String) throws -> ManifestFields {
        guard let value = object[key], !(value is NSNull) else { throw error(key, "missing (expected an object)") }
        guard let o = value as? [String: Any] else { throw error(key, "expected an object, found \(Self.describe(value))") }
        return ManifestFields(object: o, file: file, path: fieldName(key))
    }

    func optionalObject(_ key: String) throws -> ManifestFields? { has(key) ? try object(key) : nil }

    /// An array of [x, y] number pairs.
    func pairs(_ key: String) throws -> [(Double, Double)] {
        guard let value = object[key], !(value is NSNull) else { throw error(key, "missing (expected a list of [x, y] pairs)") }
        guard let list = value as? [Any] else { throw error(key, "expected a list of [x, y] pairs, found \(Self.describe(value))") }
        return try list.enumerated().map { index, item in
            guard let pair = item as? [Any], pair.count == 2,
                  let a = pair[0] as? NSNumber, let b = pair[1] as? NSNumber,
                  !Self.isBoolean(pair[0]), !Self.isBoolean(pair[1]),
                  a.doubleValue.isFinite, b.doubleValue.isFinite else {
                throw error("\(key)[\(index)]", "expected a pair of numbers [x, y]")
            }
            return (a.doubleValue, b.doubleValue)
        }
    }

    func optionalStrings(_ key: String) throws -> [String]? {
        guard has(key) else { return nil }
        guard let list = object[key] as? [Any] else { throw error(key, "expected a list of strings") }
        return try list.enumerated().map { index, item in
            guard let s = item as? String else { throw error("\(key)[\(index)]", "expected a string") }
            return s
        }
    }

    func enumeration<T: RawRepresentable>(_ key: String, _ type: T.Type, allowed: [String]) throws -> T where T.RawValue == String {
        let s = try string(key)
        guard let value = T(rawValue: s) else {
            throw error(key, "'\(s)' is not one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// JSON true/false arrive as NSNumber too; tell them apart by their encoding.
    static func isBoolean(_ value: Any) -> Bool {
        if value is Bool && !(value is NSNumber) { return true }
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c" || String(describing: type(of: n)).contains("Bool")
    }

    static func describe(_ value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is NSNumber: return isBoolean(value) ? "a boolean" : "a number"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "null"
        }
    }
}
