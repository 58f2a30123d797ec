/**
 * The link types of the GS1 Web Vocabulary, as published at https://ref.gs1.org/voc/data/linktypes
 * (the list GS1's resolver test suite checks link types against), December 2025 release, taken from
 * the copy in GS1Ned/isa_web_clean @ 04eccb969c2c9f4ae405b1a29c35e88936d0ba4a
 * (data/gs1_link_types/linktypes.json). GS1 Web Vocabulary, Apache-2.0, (c) GS1 AISBL.
 *
 * `restricted: 'resolver'` marks the types only a resolver assigns (gs1:defaultLink, ...);
 * `deprecated` ones are still accepted. Edit this file when GS1 publishes new link types.
 */
export interface LinkTypeTerm {
  readonly title: string
  readonly description: string
  readonly deprecated?: true
  readonly restricted?: 'resolver' | 'validatedHealthcare'
}

export const GS1_LINK_TYPES: Readonly<Record<string, LinkTypeTerm>> = {
  activityIdeas: {
    title: 'Activity Ideas',
    description: 'A link to ideas for using a product or engaging in other forms of entertainment, particularly with children.',
  },
  allergenInfo: { title: 'Allergen information', description: 'A link to a description of the allergen information.' },
  appDownload: { title: 'App download', description: 'A link to a related mobile app' },
  backgroundInfo: {
    title: 'Background Information',
    description:
      'A link to information typically from the owner of the identified entity about the creative background, thought leadership or influence of the identified entity.',
  },
  brandHomepageClinical: {
    title: 'Information for professionals about this brand',
    description: 'A link to a brand presence aimed at clinical professionals.',
  },
  brandHomepagePatient: {
    title: 'Information for patients about this brand',
    description: 'A link to a brand presence aimed at patients.',
  },
  careersInfo: {
    title: 'Careers information',
    description: 'A link to information about jobs, careers, or other employment opportunities associated to an organisation or location.',
  },
  certificationInfo: { title: 'Certification Information', description: 'A link to certification information.' },
  consumerHandlingStorageInfo: {
    title: 'Consumer handling and storage information',
    description: 'A link to information about safe handling and storage for consumer use.',
  },
  defaultLink: {
    title: 'Default link',
    description:
      'The default link for a given identified item to which a resolver will redirect unless there is information in the request that is a better match.',
    restricted: 'resolver',
  },
  defaultLinkMulti: {
    title: 'Default linkMulti',
    description:
      "A set of 'default links' that may be differentiated by information in the HTTP request headers sent to a resolver to enable a better match than the single default link.",
    restricted: 'resolver',
  },
  dpp: { title: 'Digital Product Passport', description: 'A link to a digital product passport.' },
  eifu: {
    title: 'Electronic Instructions For Use',
    description: 'A link to electronic Instruction For Use instructions for Medical Devices.',
    restricted: 'validatedHealthcare',
  },
  epcis: { title: 'EPC Information Services (EPCIS) repository', description: 'A link to an EPCIS repository of visibility event data.' },
  epil: {
    title: 'Electronic Patient Information Leaflet',
    description: 'A link to an electronic patient information leaflet.',
    restricted: 'validatedHealthcare',
  },
  eventsInfo: { title: 'Events information', description: 'A link to event details.' },
  faqs: { title: 'Frequently Asked Questions', description: 'A link to a set of frequently asked questions.' },
  handledBy: {
    title: 'Handled by',
    description:
      'Used when one resolver redirects all request URIs that match a given pattern without further processing, such as from GS1 to a brand-operated service.',
    restricted: 'resolver',
  },
  hasRetailers: { title: 'Has Retailers', description: 'A link to a list of retailers.' },
  homepage: {
    title: 'Organisation Information Page',
    description: 'A link to general information about an organisation or brand. Typically the homepage of an organisation\'s website.',
  },
  ingredientsInfo: { title: 'Ingredients information', description: 'A link to facts about ingredients.' },
  instructions: { title: 'Instructions', description: 'A link to instructions, such as assembly instructions, usage tips etc.' },
  jws: { title: 'JSON Web Signature', description: 'A link to a JSON Web Signature' },
  leaveReview: { title: 'Leave a review', description: 'A link through which a review can be added.' },
  locationInfo: { title: 'Location information', description: 'A link to a map, directions, or other location-related information.' },
  logisticsInfo: { title: 'Logistics information', description: 'A link to B2B logistics information related to a physical location.' },
  loyaltyProgram: {
    title: 'Loyalty program',
    description: "A link to information about a loyalty program, including a member's current status and/or a registration option for new members",
  },
  masterData: {
    title: 'Master data',
    description: 'A link to a source of structured master data for the entity. This is typically for B2B applications.',
  },
  menuInfo: {
    title: 'Menu information',
    description: 'A link to menu details. This may include food menus, services, or other offerings provided by an organisation or at a location.',
  },
  nutritionalInfo: { title: 'Nutritional Information', description: 'A link to nutritional facts.' },
  openingHoursInfo: { title: 'Opening hours information', description: 'A link to details on hours of operation.' },
  paymentLink: {
    title: 'Make Payment',
    description: 'A link to a place where payments details are provided and/or payments can be made by the user.',
  },
  pip: {
    title: 'Product Information Page',
    description:
      'A link to information specifically about the identified item, typically operated by the brand owner or a retailer of the product and aimed at consumers.',
  },
  productSustainabilityInfo: {
    title: 'Sustainability and recycling (deprecated)',
    description: 'This term has been deprecated. Please use gs1:sustainabilityInfo instead.',
    deprecated: true,
  },
  promotion: { title: 'Promotion', description: 'A link to a promotion.' },
  purchaseSuppliesOrAccessories: {
    title: 'Purchase supplies or accessories',
    description: 'A link to information about where supplies or accessories for the item can be purchased or ordered.',
  },
  quickStartGuide: {
    title: 'Quick start guide',
    description:
      'A link to a description of the key features needed to be understood to begin using the item or interacting with something new.',
  },
  recallStatus: {
    title: 'Recall status',
    description: 'A link to information about whether the product has been recalled or not, typically an API.',
  },
  recipeInfo: { title: 'Recipe website', description: 'A link to a recipe website.' },
  registerProduct: {
    title: 'Register purchase',
    description: 'A link to an entry point for registering ownership of a product including for warranty purposes.',
  },
  registryEntry: {
    title: 'Entry in a register',
    description: 'A link to an entry in a register, such as a business register or register of locations.',
  },
  relatedImage: { title: 'Related image', description: 'A link to any image that depicts or relates to the identified entity.' },
  relatedVideo: {
    title: 'Related video',
    description:
      'A link to any video, or document that has an embedded video, that describes or relates to the identified item, organisation, or location in some way.',
  },
  reportFound: {
    title: 'Report found',
    description:
      'A link to a platform or service where users can report a found item associated with the identified entity (instance of an item).',
  },
  review: { title: 'Reviews', description: 'A link to reviews.' },
  safetyInfo: { title: 'Safety information', description: 'A link to safety information.' },
  scheduleTime: {
    title: 'Scheduling/Reservation',
    description: 'A link to a site that offers information on scheduling, appointments, or reservations.',
  },
  serviceInfo: { title: 'Service information', description: 'A link to service or maintenance instructions.' },
  smartLabel: { title: 'SmartLabel', description: "A link to the product's SmartLabel page." },
  smpc: {
    title: 'Summary Product Characteristics (SmPC)',
    description:
      'A link to Summary Product Characteristics. To be used specifically when linking to information for healthcare professionals.',
    restricted: 'validatedHealthcare',
  },
  socialMedia: { title: 'Social media', description: 'A link to a social media channel.' },
  statisticInfo: {
    title: 'Statistics',
    description: 'A link to information about statistics regarding an organisation, location, or other entity.',
  },
  subscribe: { title: 'Subscribe', description: 'A link to a subscription form' },
  support: { title: 'Support', description: 'A link to a source of support such as a helpdesk, chat support, email etc.' },
  sustainabilityInfo: {
    title: 'Sustainability and recycling',
    description: 'A link to information relating to sustainability and recycling requirements or processes.',
  },
  traceability: {
    title: 'Traceability information',
    description:
      'A link to traceability information (includes track and trace). If the target is an EPCIS repository, use gs1:epcis instead.',
  },
  tutorial: {
    title: 'Tutorial',
    description: 'A link to a tutorial or set of tutorials, such as online classes, how-to videos etc.',
  },
  userAgreement: { title: 'Sign waiver/agreement/document', description: 'A link to an agreement or waiver.' },
  verificationService: {
    title: 'Verification Service',
    description:
      'A link to a GS1 Lightweight Messaging Service for verifying the status of a product, organisation, or location and its identifier.',
  },
  whatsInTheBox: {
    title: "What's in the box?",
    description: 'A link to a description of all the individual items in a packaged item.',
  },
}
