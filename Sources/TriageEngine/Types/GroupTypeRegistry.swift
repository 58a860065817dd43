/// Every group type and category known to this run: the built-ins plus those from the config file.
public struct GroupTypeRegistry: Sendable {
    public private(set) var types: [GroupType] = []
    public private(set) var categories: [GroupCategory] = []
    private var typesByID: [Int: GroupType] = [:]
    private var typesBySlug: [String: GroupType] = [:]
    private var categoriesByID: [Int: GroupCategory] = [:]
    /// Where each type and category came from, so a duplicate can name both definitions.
    private var typeOrigins: [Int: String] = [:]
    private var slugOrigins: [String: String] = [:]
    private var categoryOrigins: [Int: String] = [:]

    public enum RegistryError: Error, Equatable, CustomStringConvertible {
        case duplicateTypeID(Int, first: String, second: String)
        case duplicateSlug(String, first: String, second: String)
        case duplicateCategory(Int, first: String, second: String)
        case duplicateCategoryName(String, first: String, second: String)
        case unknownCategory(type: String, category: Int)

        public var description: String {
            switch self {
            case let .duplicateTypeID(id, first, second): return "group type id \(id) is defined twice: by \(first) and by \(second)"
            case let .duplicateSlug(slug, first, second): return "group type slug '\(slug)' is defined twice: by \(first) and by \(second)"
            case let .duplicateCategory(id, first, second): return "category id \(id) is defined twice: by \(first) and by \(second)"
            case let .duplicateCategoryName(name, first, second): return "category name '\(name)' is defined twice: by \(first) and by \(second)"
            case let .unknownCategory(type, category): return "group type \(type) names category \(category), which is not registered"
            }
        }
    }

    /// The built-in types and categories only.
    public static let builtIn: GroupTypeRegistry = {
        var registry = GroupTypeRegistry()
        // The built-in table has no duplicates; a failure here is a programming error caught by the tests.
        try! registry.register(categories: GroupCategory.builtIns, origin: "the built-in categories")
        try! registry.register(types: GroupType.builtIns, origin: "the built-in types")
        return registry
    }()

    public mutating func register(categories newCategories: [GroupCategory], origin: String) throws(RegistryError) {
        for category in newCategories {
            if let first = categoryOrigins[category.id] {
                throw .duplicateCategory(category.id, first: first, second: origin)
            }
            if let existing = categories.first(where: { $0.name == category.name }) {
                throw .duplicateCategoryName(category.name, first: categoryOrigins[existing.id]!, second: origin)
            }
            categories.append(category)
            categoriesByID[category.id] = category
            categoryOrigins[category.id] = origin
        }
    }

    public mutating func register(types newTypes: [GroupType], origin: String) throws(RegistryError) {
        for type in newTypes {
            if let first = typeOrigins[type.id] { throw .duplicateTypeID(type.id, first: first, second: origin) }
            if let first = slugOrigins[type.slug] { throw .duplicateSlug(type.slug, first: first, second: origin) }
            guard categoriesByID[type.categoryID] != nil else {
                throw .unknownCategory(type: "\(type.id) (\(type.slug))", category: type.categoryID)
            }
            types.append(type)
            typesByID[type.id] = type
            typesBySlug[type.slug] = type
            typeOrigins[type.id] = origin
            slugOrigins[type.slug] = origin
        }
    }

    public func type(id: Int) -> GroupType? { typesByID[id] }
    public func type(slug: String) -> GroupType? { typesBySlug[slug] }
    public func category(id: Int) -> GroupCategory? { categoriesByID[id] }
    public func category(named name: String) -> GroupCategory? { categories.first { $0.name == name } }
}
